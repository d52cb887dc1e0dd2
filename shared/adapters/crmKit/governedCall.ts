import type { RateBudget, RateGovernor } from '../../ports/RateGovernor';

/** Runs one CRM call inside the target's shared budget; the concurrency slot is freed whatever happens. */
export async function governedCall<T>(
    governor: RateGovernor,
    target: string,
    budget: RateBudget,
    call: () => Promise<T>,
): Promise<T> {
    const lease = await governor.acquire(target, budget);
    try {
        return await call();
    } finally {
        await lease.release();
    }
}
