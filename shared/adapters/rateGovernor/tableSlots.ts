import { odata, type TableClient } from '@azure/data-tables';

import { ifStatus } from './tableWindow';

export interface SlotClaim {
    partitionKey: string;
    rowKey: string;
    etag: string;
}

interface SlotEntity {
    leaseUntil: number;
    holder: string;
}

/**
 * Claims a free concurrency slot: one query lists the slots, then a conditional create (missing slot) or update
 * (expired or released lease, with its ETag) takes one. A lost race moves on to the next free slot.
 */
export async function claimSlot(
    table: TableClient,
    partitionKey: string,
    maxConcurrent: number,
    holder: string,
    at: { nowMs: number; leaseMs: number },
): Promise<SlotClaim | undefined> {
    const existing = new Map<string, { leaseUntil: number; etag: string }>();
    const slots = table.listEntities<SlotEntity>({
        queryOptions: { filter: odata`PartitionKey eq ${partitionKey} and RowKey ge 'slot-' and RowKey lt 'slot.'` },
    });
    for await (const slot of slots) existing.set(slot.rowKey!, { leaseUntil: slot.leaseUntil, etag: slot.etag });
    const entity = { leaseUntil: at.nowMs + at.leaseMs, holder };
    // Start at a random slot so instances do not all race for slot 0.
    const offset = Math.floor(Math.random() * maxConcurrent);
    for (let i = 0; i < maxConcurrent; i++) {
        const rowKey = `slot-${String((offset + i) % maxConcurrent).padStart(4, '0')}`;
        const current = existing.get(rowKey);
        if (current && current.leaseUntil > at.nowMs) continue;
        const result = current
            ? await table
                  .updateEntity({ partitionKey, rowKey, ...entity }, 'Replace', { etag: current.etag })
                  .catch(ifStatus(412, undefined))
            : await table.createEntity({ partitionKey, rowKey, ...entity }).catch(ifStatus(409, undefined));
        if (result?.etag) return { partitionKey, rowKey, etag: result.etag };
    }
    return undefined;
}

/** Frees the slot if it is still ours (a 412 means the lease expired and another instance took it). */
export async function releaseSlot(table: TableClient, claim: SlotClaim): Promise<void> {
    await table
        .updateEntity(
            { partitionKey: claim.partitionKey, rowKey: claim.rowKey, leaseUntil: 0, holder: '' },
            'Replace',
            {
                etag: claim.etag,
            },
        )
        .catch((err: unknown) => {
            const status = (err as { statusCode?: number }).statusCode;
            if (status !== 412 && status !== 404) throw err;
        });
}
