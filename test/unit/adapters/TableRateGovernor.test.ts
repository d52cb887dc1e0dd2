import { TableClient } from '@azure/data-tables';

import { TableRateGovernor } from '../../../shared/adapters/rateGovernor/TableRateGovernor';
import { TransientError } from '../../../shared/domain/errors';
import { type AzuriteInstance, startAzurite } from '../../support/azurite';

describe('TableRateGovernor on Azurite', () => {
    let azurite: AzuriteInstance;
    let clock: number;
    let tableIndex = 0;
    beforeAll(async () => {
        azurite = await startAzurite();
    }, 30_000);
    afterAll(() => azurite.stop());
    beforeEach(() => {
        // A fixed point well inside a window, so a test never straddles a window boundary.
        clock = Date.UTC(2026, 10, 20, 10, 0, 5);
    });

    /** Two governors on separate clients: what two Functions instances would hold. */
    function twoInstances(maxWaitMs = 0) {
        const name = `RateGovernor${++tableIndex}`;
        const make = () =>
            new TableRateGovernor(
                TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true }),
                {
                    now: () => new Date(clock),
                    maxWaitMs,
                    leaseMs: 60_000,
                    sleep: (ms) => {
                        clock += ms;
                        return Promise.resolve();
                    },
                },
            );
        return [make(), make()] as const;
    }

    it('when two instances draw on one budget, then together they get exactly the budget and then a retry delay', async () => {
        const [a, b] = twoInstances();
        const budget = { requests: 10, perSeconds: 60 };
        const results = await Promise.allSettled(
            Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).acquire('crm', budget)),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(rejected).toHaveLength(6);
        for (const r of rejected) {
            expect(r.reason).toBeInstanceOf(TransientError);
            expect((r.reason as TransientError).details.retryAfterMs).toBe(55_000);
        }
    });

    it('when the window is exhausted but ends within the in-process wait, then acquire waits and succeeds', async () => {
        const [a] = twoInstances(10_000);
        const budget = { requests: 1, perSeconds: 10 };
        await a.acquire('crm', budget);
        const before = clock;
        await expect(a.acquire('crm', budget)).resolves.toBeDefined();
        expect(clock - before).toBe(5_000);
    });

    it('when every concurrency slot is held, then another instance waits until one is released', async () => {
        const [a, b] = twoInstances();
        const budget = { requests: 100, perSeconds: 60, maxConcurrent: 2 };
        const first = await a.acquire('crm', budget);
        await a.acquire('crm', budget);
        await expect(b.acquire('crm', budget)).rejects.toBeInstanceOf(TransientError);
        await first.release();
        await expect(b.acquire('crm', budget)).resolves.toBeDefined();
    });

    it('when a holder dies without releasing, then its slot is taken again after the lease expires', async () => {
        const [a, b] = twoInstances();
        const budget = { requests: 100, perSeconds: 3600, maxConcurrent: 1 };
        await a.acquire('crm', budget);
        await expect(b.acquire('crm', budget)).rejects.toBeInstanceOf(TransientError);
        clock += 61_000;
        await expect(b.acquire('crm', budget)).resolves.toBeDefined();
    });

    it('when one instance pauses a target after a 429, then the other instance waits out the pause too', async () => {
        const [a, b] = twoInstances();
        const budget = { requests: 100, perSeconds: 60 };
        await a.pause('crm', 30_000);
        const error = (await b.acquire('crm', budget).catch((e: unknown) => e)) as TransientError;
        expect(error).toBeInstanceOf(TransientError);
        expect(error.details.retryAfterMs).toBe(30_000);
        await b.pause('crm', 10_000); // a shorter pause never shortens a longer one
        clock += 20_000;
        await expect(a.acquire('crm', budget)).rejects.toBeInstanceOf(TransientError);
        clock += 11_000;
        await expect(b.acquire('crm', budget)).resolves.toBeDefined();
    });

    it('when targets differ, then their budgets are independent', async () => {
        const [a] = twoInstances();
        const budget = { requests: 1, perSeconds: 60 };
        await a.acquire('hubspotA', budget);
        await expect(a.acquire('hubspotB', budget)).resolves.toBeDefined();
        await expect(a.acquire('hubspotA', budget)).rejects.toBeInstanceOf(TransientError);
        // Names that need escaping in a Table query or are not valid key characters still get their own budget.
        const slots = { requests: 100, perSeconds: 60, maxConcurrent: 1 };
        await expect(a.acquire("o'brien/#1", slots)).resolves.toBeDefined();
        await expect(a.acquire("o'brien/#1", slots)).rejects.toBeInstanceOf(TransientError);
    });
});
