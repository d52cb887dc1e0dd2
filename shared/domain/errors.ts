/**
 * The error taxonomy. Messages never contain personal data (email, phone, names): ids, field names and hashes only.
 */

/** Input we will never accept as it is: answer 400 / park the message, do not retry. */
export class ValidationError extends Error {
    override readonly name = 'ValidationError';
    constructor(
        message: string,
        /** Every problem found, each with the path it concerns. */
        readonly problems: readonly { path: string; message: string }[] = [],
    ) {
        super(message);
    }
}

/** The marketplace body is not a JSON object. The caller stores the raw body and answers 400. */
export class MarketplacePayloadError extends ValidationError {
    override readonly name = 'ValidationError';
    constructor(
        message: string,
        readonly reason: 'empty' | 'not-json' | 'not-an-object',
    ) {
        super(message, [{ path: '$', message }]);
    }
}

/** The pipeline configuration is invalid; the message lists every problem with its path. */
export class ConfigError extends Error {
    override readonly name = 'ConfigError';
    constructor(readonly problems: readonly { path: string; message: string }[]) {
        super(`Invalid configuration:\n${problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n')}`);
    }
}

/** A failure that may succeed later (timeouts, 5xx, 408, 429, throttling): retry, honouring `retryAfterMs`. */
export class TransientError extends Error {
    override readonly name = 'TransientError';
    constructor(
        message: string,
        readonly details: { retryAfterMs?: number; status?: number; code?: string } = {},
    ) {
        super(message);
    }
}

/** A failure that will not succeed by retrying (4xx other than 408/429, rejected data): record it, do not retry. */
export class PermanentError extends Error {
    override readonly name = 'PermanentError';
    constructor(
        message: string,
        readonly details: { status?: number; code?: string } = {},
    ) {
        super(message);
    }
}

/** Turns anything thrown into an Error without ever serialising personal data from it. */
export function ensureError(value: unknown): Error {
    if (value instanceof Error) return value;
    if (typeof value === 'string') return new Error(value);
    if (value === null || value === undefined) return new Error('Unknown error');
    return new Error(`Non-error thrown: ${typeof value}`);
}
