import type { TableClient } from '@azure/data-tables';

import type { RateBudget } from '../../ports/RateGovernor';

const maxConflicts = 20;

/**
 * Takes one unit from the target's current fixed window. Returns 0 when taken, else the milliseconds until the
 * window ends. Counts change only with ETag-conditional writes (create fails with 409, update with 412 when another
 * instance got there first; then it reads again).
 */
export async function takeFromWindow(
    table: TableClient,
    partitionKey: string,
    budget: RateBudget,
    nowMs: number,
): Promise<number> {
    const windowMs = budget.perSeconds * 1000;
    const start = Math.floor(nowMs / windowMs) * windowMs;
    const rowKey = `window-${String(start).padStart(15, '0')}`;
    for (let i = 0; i < maxConflicts; i++) {
        const current = await table.getEntity<{ count: number }>(partitionKey, rowKey).catch(ifStatus(404, undefined));
        if (current === undefined) {
            const created = await table
                .createEntity({ partitionKey, rowKey, count: 1 })
                .then(() => true)
                .catch(ifStatus(409, false));
            if (created) {
                await deletePreviousWindow(table, partitionKey, start - windowMs);
                return 0;
            }
            continue;
        }
        if (current.count >= budget.requests) return start + windowMs - nowMs;
        const updated = await table
            .updateEntity({ partitionKey, rowKey, count: current.count + 1 }, 'Merge', { etag: current.etag })
            .then(() => true)
            .catch(ifStatus(412, false));
        if (updated) return 0;
    }
    // Heavy contention: let the caller wait a moment rather than hammer the table.
    return 50;
}

/** Keeps the table small: the window before the one just opened is no longer read. */
async function deletePreviousWindow(table: TableClient, partitionKey: string, previousStart: number): Promise<void> {
    await table.deleteEntity(partitionKey, `window-${String(previousStart).padStart(15, '0')}`).catch(() => undefined);
}

/** Turns the given HTTP status of a storage error into a value; rethrows anything else. */
export function ifStatus<T>(status: number, value: T): (err: unknown) => T {
    return (err: unknown) => {
        if ((err as { statusCode?: number }).statusCode === status) return value;
        throw err;
    };
}
