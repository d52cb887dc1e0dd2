import { odata, type TableClient } from '@azure/data-tables';

import { emailKeysIn } from '../../domain/index';
import { tableNames } from '../../names';
import type { ParkedLead } from '../../ports/ParkedLeadStore';
import type { InvalidPayloadCopy, PayloadEraser } from '../../ports/PayloadEraser';
import type { RawBodyStore } from '../../ports/RawBodyStore';
import { deleteRow } from './deleteRows';
import { firstPage } from './firstPage';
import { parkedLeadOf } from './parkedLeadOf';
import type { TableClientFactory } from './tableClients';

type Row = Record<string, unknown>;

/** The invalid payloads' partition of `RawBodies` and the parked events' partition of `Parked`. */
const INVALID = 'invalid';
const PARKED = 'parked';
/** Invalid payloads one page reads: each may be up to the body limit, so pages stay small. */
const INVALID_PAGE = 50;

const decoder = new TextDecoder('utf-8');

/** The lead ids a parked event names: its message id (a lead event's is the lead id), its body, its properties. */
function leadIdsOf(p: ParkedLead): string[] {
    const ids = [p.messageId];
    if (typeof p.properties.leadId === 'string') ids.push(p.properties.leadId);
    try {
        const body = JSON.parse(p.body) as { leadId?: unknown } | null;
        if (typeof body?.leadId === 'string') ids.push(body.leadId);
    } catch {
        // Not JSON: only its text is compared.
    }
    return ids;
}

async function deleteInvalid(client: TableClient, rawBodies: RawBodyStore, row: Row): Promise<boolean> {
    if (typeof row.blob === 'string') await rawBodies.delete(row.blob);
    return deleteRow(client, INVALID, String(row.rowKey));
}

export function createTablePayloadEraser(tables: TableClientFactory, rawBodies: RawBodyStore): PayloadEraser {
    const invalid = () => tables(tableNames.rawBodies);
    const parked = () => tables(tableNames.parked);

    async function bodyText(row: Row): Promise<string> {
        if (row.body instanceof Uint8Array) return decoder.decode(row.body);
        if (typeof row.blob === 'string') {
            const bytes = await rawBodies.get(row.blob);
            return bytes === undefined ? '' : decoder.decode(bytes);
        }
        return '';
    }

    async function allParked(): Promise<ParkedLead[]> {
        const out: ParkedLead[] = [];
        const client = await parked();
        for await (const e of client.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${PARKED}` } }))
            out.push(parkedLeadOf(e));
        return out;
    }

    async function removeBefore(
        client: TableClient,
        filter: string,
        limit: number,
        remove: (row: Row) => Promise<boolean>,
    ) {
        const page = await firstPage(
            client.listEntities<Row>({ queryOptions: { filter } }).byPage({ maxPageSize: limit }),
        );
        let removed = 0;
        for (const row of page ?? []) if (await remove(row)) removed++;
        return removed;
    }

    return {
        async invalidPayloadsWith(emailKey, continuationToken) {
            const client = await invalid();
            const page = await firstPage(
                client
                    .listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${INVALID}` } })
                    .byPage({ maxPageSize: INVALID_PAGE, continuationToken }),
            );
            const items: InvalidPayloadCopy[] = [];
            for (const row of page ?? []) {
                const text = await bodyText(row);
                if (!emailKeysIn(text).has(emailKey)) continue;
                items.push({
                    id: String(row.rowKey),
                    receivedAt: String(row.receivedAt),
                    reason: String(row.reason),
                    text,
                });
            }
            return page?.continuationToken === undefined
                ? { items }
                : { items, continuationToken: page.continuationToken };
        },

        async deleteInvalidPayloads(ids) {
            const client = await invalid();
            let deleted = 0;
            for (const id of ids) {
                let row: Row;
                try {
                    row = await client.getEntity<Row>(INVALID, id);
                } catch {
                    continue;
                }
                if (await deleteInvalid(client, rawBodies, row)) deleted++;
            }
            return deleted;
        },

        async parkedFor(leadIds, emailKey) {
            const wanted = new Set(leadIds);
            return (await allParked()).filter(
                (p) =>
                    leadIdsOf(p).some((id) => wanted.has(id)) ||
                    (emailKey !== undefined && emailKeysIn(`${p.body}\n${p.description ?? ''}`).has(emailKey)),
            );
        },

        async deleteParked(ids) {
            const client = await parked();
            let deleted = 0;
            for (const id of ids) if (await deleteRow(client, PARKED, id)) deleted++;
            return deleted;
        },

        async removeInvalidPayloadsBefore(cutoff, limit) {
            const client = await invalid();
            const iso = cutoff.toISOString();
            return removeBefore(client, odata`PartitionKey eq ${INVALID} and receivedAt lt ${iso}`, limit, (row) =>
                deleteInvalid(client, rawBodies, row),
            );
        },

        async removeParkedBefore(cutoff, limit) {
            const client = await parked();
            const iso = cutoff.toISOString();
            return removeBefore(client, odata`PartitionKey eq ${PARKED} and parkedAt lt ${iso}`, limit, (row) =>
                deleteRow(client, PARKED, String(row.rowKey)),
            );
        },
    };
}
