type Problem = { path: string; message: string };

/** The longest a target may set for one call. */
const MAX_TIMEOUT_MS = 120_000;

/**
 * How long one call of a target may take, by one rule for every target: the target's own `timeoutSeconds` (or, as
 * the CRM targets have always read it, `timeoutMs`) when its options set one, else `fallbackMs`, which is the
 * pipeline's `delivery.timeoutSeconds`. Every call of the target is bounded by it: token requests, probes and the
 * delivery calls alike.
 */
export function readTimeout(
    options: Record<string, unknown>,
    basePath: string,
    fallbackMs: number,
): { timeoutMs: number; problems: Problem[] } {
    const seconds = given(options.timeoutSeconds);
    const ms = given(options.timeoutMs);
    if (seconds !== undefined && ms !== undefined) {
        return {
            timeoutMs: fallbackMs,
            problems: [{ path: `${basePath}.timeoutMs`, message: 'set timeoutSeconds or timeoutMs, not both' }],
        };
    }
    if (seconds !== undefined) {
        const value = typeof seconds === 'string' ? Number(seconds) : seconds;
        if (typeof value === 'number' && value > 0 && value * 1000 <= MAX_TIMEOUT_MS)
            return { timeoutMs: value * 1000, problems: [] };
        return {
            timeoutMs: fallbackMs,
            problems: [
                {
                    path: `${basePath}.timeoutSeconds`,
                    message: `must be a positive number of at most ${MAX_TIMEOUT_MS / 1000}`,
                },
            ],
        };
    }
    if (ms !== undefined) {
        const value = typeof ms === 'string' ? Number(ms) : ms;
        if (typeof value === 'number' && value >= 1000 && value <= MAX_TIMEOUT_MS)
            return { timeoutMs: value, problems: [] };
        return {
            timeoutMs: fallbackMs,
            problems: [{ path: `${basePath}.timeoutMs`, message: `must be between 1000 and ${MAX_TIMEOUT_MS}` }],
        };
    }
    return { timeoutMs: fallbackMs, problems: [] };
}

const given = (value: unknown): unknown => (value === undefined || value === null || value === '' ? undefined : value);
