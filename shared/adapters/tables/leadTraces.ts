import type { CrmRecordRef } from '../../domain/index';
import { instanceIds } from '../../names';
import type { LeadTraces } from '../../ports/LeadEraser';
import { leadRow } from './leadEntities';

type Row = Record<string, unknown>;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A history row's detail names the runs that wrote it (`run`) or that it started (`instanceId`). */
function runsOf(detail: unknown): string[] {
    if (typeof detail !== 'string') return [];
    try {
        const parsed = JSON.parse(detail) as Record<string, unknown>;
        return [parsed.run, parsed.instanceId].filter((v): v is string => typeof v === 'string' && v !== '');
    } catch {
        return [];
    }
}

/**
 * The runs and CRM records one lead partition names: its pipeline run, every redelivery and delivery run in its
 * history and claims, and each of those runs' per-target sub-orchestration (`<run>:<target>`); the record ids its
 * deliveries stored.
 */
export function leadTracesOf(leadId: string, rows: readonly Row[]): LeadTraces {
    const lead = rows.find((r) => r.rowKey === leadRow);
    const deliveries = rows.filter((r) => typeof r.rowKey === 'string' && r.rowKey.startsWith('d_'));
    const targets = new Set(deliveries.map((d) => text(d.target)).filter((t): t is string => t !== undefined));
    const runs = new Set<string>([instanceIds.leadPipeline(leadId)]);
    for (const d of deliveries) {
        const claim = text(d.claimedBy);
        if (claim !== undefined) runs.add(claim);
    }
    for (const r of rows)
        if (typeof r.rowKey === 'string' && r.rowKey.startsWith('h_')) runsOf(r.detail).forEach((id) => runs.add(id));
    const runIds = new Set<string>();
    for (const run of runs) {
        runIds.add(run);
        for (const target of targets) runIds.add(instanceIds.targetDelivery(run, target));
    }
    const records: CrmRecordRef[] = deliveries.flatMap((d) => {
        const target = text(d.target);
        const recordId = text(d.externalId);
        return target !== undefined && recordId !== undefined ? [{ target, recordId, leadId }] : [];
    });
    return {
        leadId,
        tombstoned: lead?.status === 'erased',
        receivedAt: text(lead?.receivedAt),
        runIds: [...runIds].sort(),
        records,
    };
}
