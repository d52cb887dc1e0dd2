import type { TableClient } from '@azure/data-tables';

import type { RateBudget } from '../../ports/RateGovernor';

const maxConflicts = 20;
const rowKey = 'budget';

/**
 * The target's budget row: the current fixed window's start and count, and until when the target is paused (a 429
 * with Retry-After). One row per target, so a request costs one read and one conditional write, pause included.
 */
interface BudgetEntity {
    windowStart: number;
    count: number;
    pausedUntil: number;
}

/**
 * Takes one unit from the target's current fixed window. Returns 0 when taken, else the milliseconds to wait: until
 * the pause ends, or until the window ends. Counts change only with ETag-conditional writes (create fails with 409,
 * update with 412 when another instance got there first; then it reads again).
 */
export async function takeFromWindow(
    table: TableClient,
    partitionKey: string,
    budget: RateBudget,
    nowMs: number,
): Promise<number> {
    const windowMs = budget.perSeconds * 1000;
    const start = Math.floor(nowMs / windowMs) * windowMs;
    for (let i = 0; i < maxConflicts; i++) {
        const current = await table.getEntity<BudgetEntity>(partitionKey, rowKey).catch(ifStatus(404, undefined));
        if (current === undefined) {
            const created = await table
                .createEntity({ partitionKey, rowKey, windowStart: start, count: 1, pausedUntil: 0 })
                .then(() => true)
                .catch(ifStatus(409, false));
            if (created) return 0;
            continue;
        }
        const pausedUntil = Number(current.pausedUntil ?? 0);
        if (pausedUntil > nowMs) return pausedUntil - nowMs;
        const count = Number(current.windowStart) === start ? Number(current.count) : 0;
        if (count >= budget.requests) return start + windowMs - nowMs;
        const updated = await table
            .updateEntity({ partitionKey, rowKey, windowStart: start, count: count + 1 }, 'Merge', {
                etag: current.etag,
            })
            .then(() => true)
            .catch(ifStatus(412, false));
        if (updated) return 0;
    }
    // Heavy contention: let the caller wait a moment rather than hammer the table.
    return 50;
}

/** Moves the pause end to `untilMs` unless it is already later; conditional writes, so instances only extend it. */
export async function extendPause(table: TableClient, partitionKey: string, untilMs: number): Promise<void> {
    for (let i = 0; i < 5; i++) {
        const current = await table.getEntity<BudgetEntity>(partitionKey, rowKey).catch(ifStatus(404, undefined));
        if (current && Number(current.pausedUntil ?? 0) >= untilMs) return;
        const written = current
            ? await table
                  .updateEntity({ partitionKey, rowKey, pausedUntil: untilMs }, 'Merge', { etag: current.etag })
                  .then(() => true)
                  .catch(ifStatus(412, false))
            : await table
                  .createEntity({ partitionKey, rowKey, windowStart: 0, count: 0, pausedUntil: untilMs })
                  .then(() => true)
                  .catch(ifStatus(409, false));
        if (written) return;
    }
}

/** Turns the given HTTP status of a storage error into a value; rethrows anything else. */
export function ifStatus<T>(status: number, value: T): (err: unknown) => T {
    return (err: unknown) => {
        if ((err as { statusCode?: number }).statusCode === status) return value;
        throw err;
    };
}
