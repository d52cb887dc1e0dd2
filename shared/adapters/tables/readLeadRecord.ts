import { odata, type TableClient } from '@azure/data-tables';

import type {
    DeliveryRecord,
    Lead,
    LeadDecision,
    LeadHistoryEntry,
    LeadRecord,
    LeadSla,
    LeadStatus,
} from '../../domain/index';
import { readJson } from './jsonColumns';
import { leadRow, slaRow, str, toDelivery, toHistory } from './leadEntities';

/** Reads a lead's whole partition (lead row, deliveries, history) in one query. */
export async function readLeadRecord(client: TableClient, leadId: string): Promise<LeadRecord | undefined> {
    let main: Record<string, unknown> | undefined;
    let sla: LeadSla | undefined;
    const deliveries: DeliveryRecord[] = [];
    const history: LeadHistoryEntry[] = [];
    for await (const e of client.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${leadId}` },
    })) {
        if (e.rowKey === leadRow) main = e;
        else if (e.rowKey?.startsWith('d_')) deliveries.push(toDelivery(e));
        else if (e.rowKey?.startsWith('h_')) history.push(toHistory(e));
        else if (e.rowKey === slaRow) {
            const row = readJson<LeadSla>(e, 'sla');
            if (row !== undefined) sla = { ...row, etag: e.etag };
        }
    }
    // An erased lead is only its tombstone: nothing of the lead is left to read.
    if (main === undefined || main.status === 'erased') return undefined;
    const lead = readJson<Lead>(main, 'lead');
    if (lead === undefined) throw new Error(`Lead ${leadId} has an unreadable record`);
    return {
        leadId,
        status: String(main.status) as LeadStatus,
        lead,
        decision: readJson<LeadDecision>(main, 'decision'),
        deliveries,
        history: history.sort((a, b) => a.at.localeCompare(b.at)),
        receivedAt: String(main.receivedAt),
        updatedAt: String(main.updatedAt),
        completedAt: str(main.completedAt),
        rawRef: String(main.rawRef),
        ...(sla === undefined ? {} : { sla }),
    };
}
