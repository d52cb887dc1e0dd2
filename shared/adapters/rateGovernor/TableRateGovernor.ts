import { randomUUID } from 'node:crypto';

import type { TableClient } from '@azure/data-tables';

import { TransientError } from '../../domain/index';
import type { GovernorTiming, RateBudget, RateGovernor, RateLease } from '../../ports/RateGovernor';
import { claimSlot, releaseSlot, type SlotClaim } from './tableSlots';
import { extendPause, takeFromWindow } from './tableWindow';

export interface TableGovernorOptions extends GovernorTiming {
    /** How long a concurrency slot stays taken if its holder dies without releasing it (default 2 min). */
    leaseMs?: number;
}

/**
 * A request budget shared by every instance of the Functions app, kept in Azure Table Storage: one entity per
 * target holds the current fixed window's count and the pause a 429 asked for (a request costs one read and one
 * write), one entity per concurrency slot holds a lease with an expiry, and every change is an ETag-conditional
 * write, so two instances can never both take the last unit. Waits up to `maxWaitMs` in-process; beyond that it
 * rejects with `TransientError({ retryAfterMs, code: 'rate-governor' })`: the request was not sent, and the
 * orchestration waits on a durable timer.
 */
export class TableRateGovernor implements RateGovernor {
    private readonly maxWaitMs: number;
    private readonly leaseMs: number;
    private readonly holder = randomUUID();
    private ready: Promise<void> | undefined;

    constructor(
        private readonly table: TableClient,
        private readonly options: TableGovernorOptions,
    ) {
        this.maxWaitMs = options.maxWaitMs ?? 2000;
        this.leaseMs = options.leaseMs ?? 120_000;
    }

    async acquire(target: string, budget: RateBudget): Promise<RateLease> {
        await this.ensureTable();
        const partition = partitionKeyFor(target);
        const deadline = this.options.now().getTime() + this.maxWaitMs;
        for (;;) {
            const waitMs = await takeFromWindow(this.table, partition, budget, this.options.now().getTime());
            if (waitMs === 0) break;
            await this.waitOrReject(target, waitMs, deadline);
        }
        if (budget.maxConcurrent === undefined) return { release: () => Promise.resolve() };
        for (;;) {
            const claim = await claimSlot(this.table, partition, budget.maxConcurrent, this.holder, {
                nowMs: this.options.now().getTime(),
                leaseMs: this.leaseMs,
            });
            if (claim) return this.lease(claim);
            await this.waitOrReject(target, 100, deadline);
        }
    }

    async pause(target: string, forMs: number): Promise<void> {
        await this.ensureTable();
        const partition = partitionKeyFor(target);
        const untilMs = this.options.now().getTime() + forMs;
        await extendPause(this.table, partition, untilMs);
    }

    private async ensureTable(): Promise<void> {
        this.ready ??= this.table.createTable().catch((err: unknown) => {
            this.ready = undefined;
            throw err;
        });
        await this.ready;
    }

    private async waitOrReject(target: string, waitMs: number, deadline: number): Promise<void> {
        if (this.options.now().getTime() + waitMs > deadline) {
            throw new TransientError(`${target}: request budget exhausted`, {
                code: 'rate-governor',
                retryAfterMs: waitMs,
            });
        }
        await (this.options.sleep ? this.options.sleep(waitMs) : new Promise((r) => setTimeout(r, waitMs)));
    }

    private lease(claim: SlotClaim): RateLease {
        let released = false;
        return {
            release: async () => {
                if (released) return;
                released = true;
                await releaseSlot(this.table, claim);
            },
        };
    }
}

/** PartitionKey may not hold `/ \ # ?` or control characters; target names are config keys, so this is rare. */
function partitionKeyFor(target: string): string {
    const safe = [...target].map((ch) => (/[/\\#?]/.test(ch) || ch.charCodeAt(0) < 32 ? '_' : ch)).join('');
    return `target-${safe}`;
}
