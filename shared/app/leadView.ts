import type { DeliveryRecord, JourneyStep, LeadRecord } from '../ports/LeadRepository';
import { claimExpired, type DeliveryPolicy } from './pipelineTypes';

/** What the view needs to tell an abandoned claim from a delivery in progress. */
export interface ClaimClock {
    now: Date;
    delivery: Pick<DeliveryPolicy, 'deadlineMinutes'>;
}

/**
 * The operations API's view of a lead. It includes the contact: the API is behind a function key and is the
 * operator's window onto the stored record. A target whose claim expired (its run failed or was terminated) shows as
 * `stalled` (with the stored status as `claimStatus`), and so does the lead when nothing else is in progress: it
 * needs a redelivery, it is not being delivered.
 */
export function leadView(record: LeadRecord, journey: JourneyStep[] = [], clock?: ClaimClock): Record<string, unknown> {
    const d = record.decision;
    const stalled = (row: DeliveryRecord) =>
        clock !== undefined && claimExpired(row, clock.now, clock.delivery.deadlineMinutes);
    const live = record.deliveries.some(
        (row) => (row.status === 'pending' || row.status === 'retrying') && !stalled(row),
    );
    const anyStalled = record.deliveries.some(stalled);
    return {
        leadId: record.leadId,
        status: record.status === 'delivering' && anyStalled && !live ? 'stalled' : record.status,
        receivedAt: record.receivedAt,
        updatedAt: record.updatedAt,
        completedAt: record.completedAt,
        channel: record.lead.channel,
        configVersion: d?.configVersion,
        decidedAt: d?.decidedAt,
        qualification: d?.qualification ?? null,
        score: d?.score ?? null,
        route: d === undefined ? null : { ...d.route, targets: d.route.targets },
        // The ETag is a storage detail for optimistic writes, not part of the API.
        deliveries: record.deliveries.map(({ etag: _etag, ...row }) =>
            stalled(row) ? { ...row, status: 'stalled', claimStatus: row.status } : row,
        ),
        source: record.lead.source,
        action: record.lead.action,
        offer: record.lead.offer,
        contact: record.lead.contact,
        campaign: record.lead.description.campaign,
        flags: record.lead.flags,
        personKey: record.lead.personKey,
        journey,
        leadKey: record.lead.leadKey,
        rawRef: record.rawRef,
        history: record.history,
    };
}
