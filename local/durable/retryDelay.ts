import type { WireRetryOptions } from './protocol';

/**
 * Delay before attempt `failedAttempt + 1`, as DTFx's RetryInterceptor computes it:
 * `first * coefficient^(failedAttempt-1)`, capped by the max interval. `undefined` when no further attempt may start
 * (attempts used up, or the retry timeout would pass).
 */
export function retryDelay(
    options: WireRetryOptions,
    failedAttempt: number,
    firstAttemptAt: Date,
    now: Date,
): number | undefined {
    if (failedAttempt >= options.maxNumberOfAttempts) return undefined;
    const coefficient = options.backoffCoefficient ?? 1;
    let delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failedAttempt - 1);
    if (options.maxRetryIntervalInMilliseconds !== undefined && options.maxRetryIntervalInMilliseconds > 0) {
        delay = Math.min(delay, options.maxRetryIntervalInMilliseconds);
    }
    const timeout = options.retryTimeoutInMilliseconds;
    if (timeout !== undefined && timeout > 0 && timeout < 2 ** 31) {
        if (now.getTime() + delay - firstAttemptAt.getTime() > timeout) return undefined;
    }
    return Math.max(0, delay);
}
