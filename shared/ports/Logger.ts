/**
 * Structured logging for use cases and adapters. `data` holds ids, hashes, counts and codes only: never email,
 * phone, names or free text from a lead. Function files back it with the `InvocationContext` so Application
 * Insights keeps the invocation correlation.
 */
export interface Logger {
    debug(message: string, data?: Record<string, unknown>): void;
    info(message: string, data?: Record<string, unknown>): void;
    warn(message: string, data?: Record<string, unknown>): void;
    error(message: string, data?: Record<string, unknown>): void;
}
