/**
 * A request budget per target, shared by every instance of the Functions app, so the pipeline slows down before a
 * CRM throttles it. `acquire` resolves when a request may be sent, or rejects with a `TransientError` carrying
 * `retryAfterMs` when the budget is exhausted for longer than the caller should wait in-process (the orchestration
 * then waits on a durable timer instead of holding an activity).
 */
export interface RateGovernor {
    acquire(target: string, budget: RateBudget): Promise<RateLease>;
    /**
     * Optional: the CRM asked us to back off (429 / `Retry-After`); no instance takes from `target`'s budget for
     * `forMs`, so parallel deliveries stop too instead of each collecting its own 429.
     */
    pause?(target: string, forMs: number): Promise<void>;
}

export interface RateBudget {
    /** Requests allowed per window. */
    requests: number;
    /** Window length in seconds. */
    perSeconds: number;
    /** Requests in flight at once across all instances; omit for no limit. */
    maxConcurrent?: number;
}

export interface RateLease {
    /** Must be called when the request finishes (success or failure) to free a concurrency slot. */
    release(): Promise<void>;
}

/** The clock a governor waits by: every implementation takes it, so tests can drive time. */
export interface GovernorTiming {
    now(): Date;
    /** Longest wait spent in-process before rejecting with `retryAfterMs` (default 2 s). */
    maxWaitMs?: number;
    sleep?(ms: number): Promise<void>;
}
