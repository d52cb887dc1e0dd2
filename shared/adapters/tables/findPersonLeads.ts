import { odata, type TableClient } from '@azure/data-tables';

import { emailKeyOfLead, type Lead, leadMatchesOffer } from '../../domain/index';
import type { FoundLeads, PersonMatch } from '../../ports/LeadEraser';
import { firstPage } from './firstPage';
import { readJson } from './jsonColumns';
import { leadRow } from './leadEntities';
import { statusOf } from './tableClients';

/** Lead rows one scan page reads: the service's own page limit. */
const PAGE_ROWS = 1000;

async function readLead(client: TableClient, leadId: string): Promise<Lead | undefined> {
    try {
        return readJson<Lead>(await client.getEntity<Record<string, unknown>>(leadId, leadRow), 'lead');
    } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
    }
}

/**
 * One page of the lead rows, compared by their keys: a live lead by its email's lookup key (`emailKey`), a
 * tombstone by the keyed hash it keeps. Only the key columns travel; a lead is read whole only when an offer must
 * be compared, or when it was stored before lead rows carried the key (its key is then written on the row, so the
 * next scan need not read it again).
 */
export async function findPersonLeads(
    client: TableClient,
    match: PersonMatch,
    continuationToken?: string,
): Promise<FoundLeads> {
    const found: FoundLeads = { live: [], erased: [] };
    const pages = client
        .listEntities<Record<string, unknown>>({
            queryOptions: {
                filter: odata`RowKey eq ${leadRow}`,
                select: ['PartitionKey', 'status', 'emailKey', 'emailHash'],
            },
        })
        .byPage({ maxPageSize: PAGE_ROWS, continuationToken });
    const page = await firstPage(pages);
    if (page === undefined) return found;
    for (const row of page) {
        const leadId = String(row.partitionKey);
        if (row.status === 'erased') {
            if (match.emailHash !== undefined && row.emailHash === match.emailHash) found.erased.push(leadId);
            continue;
        }
        if (match.emailKey === undefined) continue;
        let lead: Lead | undefined;
        let emailKey = typeof row.emailKey === 'string' ? row.emailKey : undefined;
        if (emailKey === undefined) {
            lead = await readLead(client, leadId);
            emailKey = lead === undefined ? undefined : emailKeyOfLead(lead);
            if (emailKey !== undefined) {
                await client.upsertEntity({ partitionKey: leadId, rowKey: leadRow, emailKey }, 'Merge');
            }
        }
        if (emailKey !== match.emailKey) continue;
        if (match.offer !== undefined) {
            lead ??= await readLead(client, leadId);
            if (lead === undefined || !leadMatchesOffer(lead, match.offer)) continue;
        }
        found.live.push(leadId);
    }
    if (page.continuationToken !== undefined) found.continuationToken = page.continuationToken;
    return found;
}
