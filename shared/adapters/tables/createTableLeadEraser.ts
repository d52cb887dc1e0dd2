import { odata, type TableClient } from '@azure/data-tables';

import type { ErasureCounts } from '../../domain/index';
import { tableNames } from '../../names';
import type { LeadEraser, Tombstone } from '../../ports/LeadEraser';
import type { RawBodyStore } from '../../ports/RawBodyStore';
import { deletePartitionRows, deleteRow } from './deleteRows';
import { findPersonLeads } from './findPersonLeads';
import { firstPage } from './firstPage';
import { journeyRowKey } from './journeys';
import { leadRow, rawRow } from './leadEntities';
import { indexEntity } from './leadIndex';
import { leadTracesOf } from './leadTraces';
import type { TableClientFactory } from './tableClients';

type Row = Record<string, unknown>;

async function partitionRows(client: TableClient, leadId: string): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const row of client.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${leadId}` } }))
        rows.push(row);
    return rows;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function createTableLeadEraser(tables: TableClientFactory, rawBodies: RawBodyStore): LeadEraser {
    const leads = () => tables(tableNames.leads);

    /** The rows outside the partition that are found through the lead row: index, journey, raw body blob. */
    async function eraseOutside(leadId: string, lead: Row, counts: Partial<ErasureCounts>): Promise<void> {
        const receivedAt = text(lead.receivedAt);
        if (receivedAt !== undefined) {
            const key = indexEntity(leadId, receivedAt);
            if (await deleteRow(await tables(tableNames.leadsByTime), key.partitionKey, key.rowKey))
                counts.indexRows = 1;
        }
        const personKey = text(lead.personKey);
        if (personKey !== undefined && receivedAt !== undefined && lead.status !== 'erased') {
            const journeys = await tables(tableNames.journeys);
            if (await deleteRow(journeys, personKey, journeyRowKey(receivedAt, leadId))) counts.journeyRows = 1;
        }
        const rawRef = text(lead.rawRef);
        if (rawRef?.startsWith('blob:') === true && (await rawBodies.delete(rawRef.slice('blob:'.length)))) {
            counts.rawBlobs = 1;
        }
    }

    return {
        findPage: async (match, token) => findPersonLeads(await leads(), match, token),

        async traces(leadId) {
            const rows = await partitionRows(await leads(), leadId);
            return rows.length === 0 ? undefined : leadTracesOf(leadId, rows);
        },

        async erase(leadId, tombstone?: Tombstone) {
            const client = await leads();
            const rows = await partitionRows(client, leadId);
            if (rows.length === 0) return undefined;
            const traces = leadTracesOf(leadId, rows);
            const counts: Partial<ErasureCounts> = {};
            const lead = rows.find((r) => r.rowKey === leadRow);
            // First what is found only through the lead row; a crash before the tombstone finds the lead row again.
            if (lead !== undefined) await eraseOutside(leadId, lead, counts);
            // A tombstone already there (erased before; or this is the sweep) keeps the erasure that made it.
            if (tombstone !== undefined && lead?.status !== 'erased') {
                await client.upsertEntity(
                    {
                        partitionKey: leadId,
                        rowKey: leadRow,
                        status: 'erased',
                        erasureId: tombstone.erasureId,
                        erasedAt: tombstone.erasedAt,
                        updatedAt: tombstone.erasedAt,
                        ...(traces.receivedAt === undefined ? {} : { receivedAt: traces.receivedAt }),
                        ...(tombstone.emailHash === undefined ? {} : { emailHash: tombstone.emailHash }),
                    },
                    'Replace',
                );
            }
            const rest = rows.map((r) => String(r.rowKey)).filter((rowKey) => rowKey !== leadRow);
            let deleted = await deletePartitionRows(client, leadId, rest);
            // Without a tombstone (retention) the lead row goes last: until then a rerun still finds everything.
            if (tombstone === undefined && lead !== undefined && (await deleteRow(client, leadId, leadRow))) deleted++;
            else if (tombstone !== undefined && lead !== undefined && lead.status !== 'erased') deleted++;
            counts.leadRows = deleted;
            return { traces, counts };
        },

        async rawBody(leadId) {
            const client = await leads();
            const rows = await partitionRows(client, leadId);
            const rawRef = text(rows.find((r) => r.rowKey === leadRow)?.rawRef);
            if (rawRef?.startsWith('blob:') === true) return rawBodies.get(rawRef.slice('blob:'.length));
            const body = rows.find((r) => r.rowKey === rawRow)?.body;
            return body instanceof Uint8Array ? body : undefined;
        },

        async receivedBefore(cutoff, limit, continuationToken) {
            const client = await leads();
            const iso = cutoff.toISOString();
            const pages = client
                .listEntities<Row>({
                    queryOptions: {
                        filter: odata`RowKey eq ${leadRow} and receivedAt lt ${iso}`,
                        select: ['PartitionKey'],
                    },
                })
                .byPage({ maxPageSize: limit, continuationToken });
            const page = await firstPage(pages);
            if (page === undefined) return { leadIds: [] };
            return {
                leadIds: page.map((r) => String(r.partitionKey)),
                ...(page.continuationToken === undefined ? {} : { continuationToken: page.continuationToken }),
            };
        },

        async removeRawBodiesBefore(cutoff, limit) {
            const client = await leads();
            const iso = cutoff.toISOString();
            let removed = 0;
            // Inline bodies; a row written before it carried receivedAt is judged by when it was written.
            const inline = await firstPage(
                client
                    .listEntities<Row>({
                        queryOptions: {
                            filter: odata`RowKey eq ${rawRow} and (receivedAt lt ${iso} or Timestamp lt ${cutoff})`,
                            select: ['PartitionKey'],
                        },
                    })
                    .byPage({ maxPageSize: limit }),
            );
            for (const row of inline ?? []) if (await deleteRow(client, String(row.partitionKey), rawRow)) removed++;
            if (removed >= limit) return removed;
            // Bodies kept as blobs, found through their lead; the lead row then says the body is gone.
            const blobLeads = await firstPage(
                client
                    .listEntities<Row>({
                        queryOptions: {
                            filter: odata`RowKey eq ${leadRow} and receivedAt lt ${iso} and rawRef gt ${'blob:'} and rawRef lt ${'blob;'}`,
                            select: ['PartitionKey', 'rawRef'],
                        },
                    })
                    .byPage({ maxPageSize: limit - removed }),
            );
            for (const row of blobLeads ?? []) {
                await rawBodies.delete(String(row.rawRef).slice('blob:'.length));
                await client.upsertEntity(
                    { partitionKey: String(row.partitionKey), rowKey: leadRow, rawRef: 'expired' },
                    'Merge',
                );
                removed++;
            }
            if (removed >= limit) return removed;
            // A blob whose lead was never stored (the intake failed after the upload): by its own age. Lead ids are
            // `lk-…`; the other bodies in the container (invalid payloads) have their own period.
            return removed + (await rawBodies.removeBefore('lk-', cutoff, limit - removed));
        },
    };
}
