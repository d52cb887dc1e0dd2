import type { TargetConfig, TargetType } from '../../domain/index';
import type { RateBudget } from '../../ports/RateGovernor';

/**
 * Default request budget per target type, taken from each vendor's published limits (sources in docs/targets.md).
 * They describe what one configured target may spend; a publisher whose org is shared with other integrations
 * lowers them with `rateLimit` in the target's config.
 */
export const defaultBudgets: Record<TargetType, RateBudget> = {
    // Marketo REST: 100 calls per 20 s and 10 concurrent calls per instance.
    marketo: { requests: 100, perSeconds: 20, maxConcurrent: 10 },
    // HubSpot private apps: 100 requests / 10 s on Free and Starter (190 on Professional/Enterprise).
    hubspot: { requests: 100, perSeconds: 10 },
    // Dataverse service protection: 6,000 requests per 5-minute window and 52 concurrent requests per user.
    dynamics365: { requests: 6000, perSeconds: 300, maxConcurrent: 52 },
    // Salesforce: a share of the org's 24-hour API allocation (Developer Edition's 15,000 is the smallest), and the
    // 25 long-running concurrent requests limit as a ceiling.
    salesforce: { requests: 5000, perSeconds: 86_400, maxConcurrent: 25 },
    // Teams: 4 requests per second per webhook; its longer windows are in `extraWindows`.
    teams: { requests: 4, perSeconds: 1 },
    // A publisher's own endpoint: generous but bounded. No concurrency slots of its own: each worker already has at
    // most `maxCallsInFlightPerTarget` calls in flight per target, and a slot costs three storage operations per
    // call; `rateLimit.maxConcurrent` adds them for an endpoint that needs a ceiling across instances.
    webhook: { requests: 50, perSeconds: 1 },
};

/**
 * Windows a vendor enforces at the same time as the main one; each is a budget of its own in the governor (key
 * `<target>@<seconds>s`). Teams, "Rate limiting for connectors" (Teams platform docs, Sending messages to connectors
 * and webhooks): 4 per second, 60 per 30 s, 100 per hour, 150 per 2 hours, 1,800 per day on one channel's webhook.
 */
export const extraWindows: Partial<Record<TargetType, readonly RateBudget[]>> = {
    teams: [
        { requests: 1800, perSeconds: 86_400 },
        { requests: 150, perSeconds: 7200 },
        { requests: 100, perSeconds: 3600 },
        { requests: 60, perSeconds: 30 },
    ],
};

/** The type's default budget overlaid with the target's `rateLimit`. */
export function budgetFor(config: Pick<TargetConfig, 'type' | 'rateLimit'>): RateBudget {
    const base = defaultBudgets[config.type];
    const override = config.rateLimit ?? {};
    return {
        requests: override.requests ?? base.requests,
        perSeconds: override.perSeconds ?? base.perSeconds,
        maxConcurrent: override.maxConcurrent ?? base.maxConcurrent,
    };
}
