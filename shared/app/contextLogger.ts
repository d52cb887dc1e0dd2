import type { Logger } from '../ports/Logger';

/** The logging methods of an `InvocationContext` (structural, so shared code needs no `@azure/functions` import). */
export interface InvocationLog {
    trace(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
}

/** A Logger that writes through the invocation, so Application Insights keeps the invocation correlation. */
export function contextLogger(context: InvocationLog): Logger {
    const line = (message: string, data?: Record<string, unknown>) =>
        data === undefined ? message : `${message} ${JSON.stringify(data)}`;
    return {
        debug: (m, d) => context.trace(line(m, d)),
        info: (m, d) => context.info(line(m, d)),
        warn: (m, d) => context.warn(line(m, d)),
        error: (m, d) => context.error(line(m, d)),
    };
}
