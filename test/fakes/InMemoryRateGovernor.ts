import { TransientError } from '../../shared/domain/index';
import type { GovernorTiming, RateBudget, RateGovernor, RateLease } from '../../shared/ports/RateGovernor';

/**
 * A test double of the `RateGovernor` port: the same fixed-window budget, concurrency slots, pause and in-process
 * wait as `TableRateGovernor` (whose rules the port documents), held in this process only. The app itself always
 * uses `TableRateGovernor`, on Azurite locally, so the budget holds across scaled-out instances.
 */
export class InMemoryRateGovernor implements RateGovernor {
    private readonly windows = new Map<string, { start: number; count: number }>();
    private readonly inFlight = new Map<string, number>();
    private readonly pausedUntil = new Map<string, number>();
    private readonly maxWaitMs: number;
    private readonly sleep: (ms: number) => Promise<void>;

    constructor(private readonly timing: GovernorTiming) {
        this.maxWaitMs = timing.maxWaitMs ?? 2000;
        const sleep = timing.sleep?.bind(timing);
        this.sleep = sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    }

    async acquire(target: string, budget: RateBudget): Promise<RateLease> {
        const startedAt = this.timing.now().getTime();
        for (;;) {
            const nowMs = this.timing.now().getTime();
            const waitMs = this.tryTake(target, budget, nowMs);
            if (waitMs === 0) return this.lease(target);
            const waited = nowMs - startedAt;
            if (waited + waitMs > this.maxWaitMs) {
                throw new TransientError(`${target}: request budget exhausted`, {
                    code: 'rate-governor',
                    retryAfterMs: waitMs,
                });
            }
            await this.sleep(waitMs);
        }
    }

    pause(target: string, forMs: number): Promise<void> {
        const until = this.timing.now().getTime() + forMs;
        this.pausedUntil.set(target, Math.max(until, this.pausedUntil.get(target) ?? 0));
        return Promise.resolve();
    }

    /** 0 when a request may go now, else how long until the pause ends, the window or a slot frees. */
    private tryTake(target: string, budget: RateBudget, nowMs: number): number {
        const paused = (this.pausedUntil.get(target) ?? 0) - nowMs;
        if (paused > 0) return paused;
        const windowMs = budget.perSeconds * 1000;
        const start = Math.floor(nowMs / windowMs) * windowMs;
        let window = this.windows.get(target);
        if (!window || window.start !== start) {
            window = { start, count: 0 };
            this.windows.set(target, window);
        }
        if (window.count >= budget.requests) return start + windowMs - nowMs;
        const busy = this.inFlight.get(target) ?? 0;
        if (budget.maxConcurrent !== undefined && busy >= budget.maxConcurrent) return 50;
        window.count += 1;
        this.inFlight.set(target, busy + 1);
        return 0;
    }

    private lease(target: string): RateLease {
        let released = false;
        return {
            release: () => {
                if (!released) {
                    released = true;
                    this.inFlight.set(target, Math.max(0, (this.inFlight.get(target) ?? 1) - 1));
                }
                return Promise.resolve();
            },
        };
    }
}
