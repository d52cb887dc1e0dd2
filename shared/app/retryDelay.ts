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
