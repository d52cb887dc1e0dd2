import { PermanentError, TransientError } from '../../domain/index';

/** 601 access token invalid, 602 access token expired: refresh once and retry. */
export const tokenErrorCodes = new Set(['601', '602']);

/**
 * Response-level codes that pass with time (Marketo error-code reference): 502 bad gateway, 604 request timed out,
 * 606 rate limit (100 calls / 20 s), 607 daily quota, 608 API temporarily unavailable, 611 system error,
 * 614 invalid subscription ("the destination subscription cannot be found or is unreachable. This usually indicates
 * temporary inaccessibility"), 615 concurrent access limit (10), 713 transient error, 1029 too many jobs in queue.
 * The value is the wait.
 */
const transientCodes = new Map<string, number>([
    ['502', 5_000],
    ['604', 5_000],
    ['606', 20_000],
    ['607', 3_600_000],
    ['608', 60_000],
    ['611', 5_000],
    ['614', 60_000],
    ['615', 2_000],
    ['713', 5_000],
    ['1029', 60_000],
]);

/** Classifies a Marketo code from `errors[]` or a skipped record's `reasons[]`. Messages may quote values: not kept. */
export function marketoError(target: string, code: string | undefined, level: 'response' | 'record') {
    const label = `${target}: Marketo ${level} error ${code ?? 'unknown'}`;
    const wait = code ? transientCodes.get(code) : undefined;
    if (wait !== undefined) return new TransientError(label, { status: 200, code, retryAfterMs: wait });
    if (code && tokenErrorCodes.has(code))
        return new PermanentError(`${label} after a fresh token`, { status: 200, code });
    return new PermanentError(label, { status: 200, code });
}
