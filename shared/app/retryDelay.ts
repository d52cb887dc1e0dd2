import type { DeliveryPolicy } from './pipelineTypes';

/**
 * Milliseconds to wait before attempt `attempt + 1`: exponential backoff from the policy, but never less than the
 * target's `Retry-After`. Pure, so the orchestrator can call it during replay.
 */
export function retryDelayMs(policy: DeliveryPolicy, attempt: number, retryAfterMs: number | undefined): number {
    const backoff = policy.firstRetryIntervalSeconds * 1000 * Math.pow(policy.backoffCoefficient, attempt - 1);
    const capped = Math.min(backoff, policy.maxRetryIntervalSeconds * 1000);
    return Math.max(capped, retryAfterMs ?? 0);
}

/**
 * When the next attempt may start: the backoff from the orchestration's clock, but never before the time the target
 * asked for (`retryAt` is computed by the activity when the answer arrived, so it does not depend on when the
 * orchestration's episode started).
 */
export function nextAttemptAt(
    policy: DeliveryPolicy,
    attempt: number,
    now: number,
    retryAfterMs: number | undefined,
    retryAt: string | undefined,
): number {
    const byBackoff = now + retryDelayMs(policy, attempt, retryAfterMs);
    const asked = retryAt === undefined ? NaN : Date.parse(retryAt);
    return Number.isFinite(asked) ? Math.max(byBackoff, asked) : byBackoff;
}

/** The first wait after a deferred attempt; each further deferral doubles it, up to the policy's longest interval. */
export const FIRST_DEFERRAL_MS = 5_000;

/**
 * Milliseconds to wait after the `deferrals`-th deferral in a row (0 for the first): growing, so a target that stays
 * hung for hours adds a few dozen timers to the history, not thousands. Pure, for replay.
 */
export function deferralDelayMs(policy: DeliveryPolicy, deferrals: number): number {
    return Math.min(FIRST_DEFERRAL_MS * Math.pow(2, deferrals), policy.maxRetryIntervalSeconds * 1000);
}
