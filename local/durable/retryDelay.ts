import type { WireRetryOptions } from './protocol';

/**
 * The retry timer after failed attempt `failedAttempt` (1-based), as DTFx's `RetryInterceptor.ComputeNextDelay`
 * computes it: `first * coefficient^(failedAttempt-1)`, capped by the max interval. The last attempt gets its timer
 * too (the interceptor waits it out before it reports the failure). `undefined` once the retry timeout has passed
 * (`now >= firstAttempt + timeout`): no more waiting, and no further attempt.
 */
export function retryDelay(
    options: WireRetryOptions,
    failedAttempt: number,
    firstAttemptAt: Date,
    now: Date,
): number | undefined {
    const timeout = options.retryTimeoutInMilliseconds;
    if (timeout !== undefined && timeout > 0 && timeout < 2 ** 31) {
        if (now.getTime() >= firstAttemptAt.getTime() + timeout) return undefined;
    }
    const coefficient = options.backoffCoefficient ?? 1;
    let delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failedAttempt - 1);
    if (options.maxRetryIntervalInMilliseconds !== undefined && options.maxRetryIntervalInMilliseconds > 0) {
        delay = Math.min(delay, options.maxRetryIntervalInMilliseconds);
    }
    return Math.max(0, delay);
}
