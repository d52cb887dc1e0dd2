import { createHash } from 'node:crypto';

import { odata } from '@azure/data-tables';

import { tableNames } from '../../names';
import type { InvalidPayloadStore, InvalidPayloadSummary } from '../../ports/InvalidPayloadStore';
import type { RawBodyStore } from '../../ports/RawBodyStore';
import type { TableClientFactory } from './tableClients';

const INLINE_BYTES = 60_000;
/** Characters of a body the problems view shows. */
const PREVIEW_CHARS = 300;
/** Rows read to find the most recent: the partition is one row per distinct bad body, read newest-first in memory. */
const MAX_ROWS_READ = 5000;

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

        async recent(limit) {
            const rows: InvalidPayloadSummary[] = [];
            const table = await tables(tableNames.rawBodies);
            const query = { filter: odata`PartitionKey eq ${'invalid'}` };
            for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: query })) {
                const body = e.body instanceof Uint8Array ? e.body : undefined;
                rows.push({
                    id: String(e.rowKey),
                    reason: typeof e.reason === 'string' ? e.reason : '',
                    bytes: typeof e.bytes === 'number' ? e.bytes : 0,
                    receivedAt: typeof e.receivedAt === 'string' ? e.receivedAt : '',
                    preview:
                        body === undefined
                            ? ''
                            : new TextDecoder('utf-8', { fatal: false })
                                  .decode(body.subarray(0, PREVIEW_CHARS * 4))
                                  .slice(0, PREVIEW_CHARS),
                });
                if (rows.length >= MAX_ROWS_READ) break;
            }
            return rows.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).slice(0, limit);
        },
    };
}
