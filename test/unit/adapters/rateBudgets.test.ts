import { budgetFor, defaultBudgets } from '../../../shared/adapters/rateGovernor/defaultBudgets';
import { TransientError } from '../../../shared/domain/errors';
import { InMemoryRateGovernor } from '../../fakes/InMemoryRateGovernor';

describe('default budgets', () => {
    it('when no rateLimit is configured, then the vendor defaults apply', () => {
        expect(budgetFor({ type: 'marketo' })).toEqual({ requests: 100, perSeconds: 20, maxConcurrent: 10 });
        expect(budgetFor({ type: 'dynamics365' })).toEqual({ requests: 6000, perSeconds: 300, maxConcurrent: 52 });
        expect(defaultBudgets.hubspot).toEqual({ requests: 100, perSeconds: 10 });
    });

    it('when rateLimit overrides some values, then the others keep the defaults', () => {
        expect(budgetFor({ type: 'hubspot', rateLimit: { requests: 190 } })).toEqual({
            requests: 190,
            perSeconds: 10,
            maxConcurrent: undefined,
        });
    });
});

describe('InMemoryRateGovernor', () => {
    it('when the window is spent, then the next acquire rejects with the time left in the window', async () => {
        const clock = Date.UTC(2026, 0, 1, 0, 0, 2);
        const governor = new InMemoryRateGovernor({ now: () => new Date(clock), maxWaitMs: 0 });
        await governor.acquire('t', { requests: 2, perSeconds: 20 });
        await governor.acquire('t', { requests: 2, perSeconds: 20 });
        const error = (await governor
            .acquire('t', { requests: 2, perSeconds: 20 })
            .catch((e: unknown) => e)) as TransientError;
        expect(error).toBeInstanceOf(TransientError);
        expect(error.details.retryAfterMs).toBe(18_000);
    });

    it('when a target is paused, then acquire waits out the pause or rejects with its remaining time', async () => {
        let clock = 0;
        const governor = new InMemoryRateGovernor({
            now: () => new Date(clock),
            maxWaitMs: 1000,
            sleep: (ms) => {
                clock += ms;
                return Promise.resolve();
            },
        });
        await governor.pause('t', 500);
        await governor.acquire('t', { requests: 10, perSeconds: 60 });
        expect(clock).toBe(500);
        await governor.pause('t', 5000);
        const error = (await governor
            .acquire('t', { requests: 10, perSeconds: 60 })
            .catch((e: unknown) => e)) as TransientError;
        expect(error.details.retryAfterMs).toBe(5000);
    });

    it('when concurrency is capped, then a released lease frees a slot', async () => {
        const governor = new InMemoryRateGovernor({ now: () => new Date(), maxWaitMs: 0 });
        const budget = { requests: 100, perSeconds: 60, maxConcurrent: 1 };
        const lease = await governor.acquire('t', budget);
        await expect(governor.acquire('t', budget)).rejects.toBeInstanceOf(TransientError);
        await lease.release();
        await lease.release();
        await expect(governor.acquire('t', budget)).resolves.toBeDefined();
    });
});
