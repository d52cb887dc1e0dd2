import { createHash } from 'node:crypto';

import { tableNames } from '../../names';
import type { InvalidPayloadStore } from '../../ports/InvalidPayloadStore';
import type { RawBodyStore } from '../../ports/RawBodyStore';
import type { TableClientFactory } from './tableClients';

const INLINE_BYTES = 60_000;

/**
 * Bodies that are not a JSON object, in `RawBodies` (PartitionKey `invalid`, RowKey = SHA-256 of the body), so the
 * same bad body sent twice is kept once; bodies over a binary property's size go to blob storage.
 */
export function createTableInvalidPayloadStore(tables: TableClientFactory, blobs: RawBodyStore): InvalidPayloadStore {
    return {
        async save(raw, reason, now) {
            const id = createHash('sha256').update(raw).digest('hex');
            const entity: Record<string, unknown> = {
                partitionKey: 'invalid',
                rowKey: id,
                reason,
                bytes: raw.byteLength,
                receivedAt: now.toISOString(),
            };
            if (raw.byteLength > INLINE_BYTES) {
                await blobs.put(`invalid/${id}`, raw);
                entity.blob = `invalid/${id}`;
            } else {
                entity.body = raw;
            }
            await (await tables(tableNames.rawBodies)).upsertEntity(entity as never, 'Replace');
            return id;
        },
    };
}
