import type { JourneyStep, LeadRecord } from '../ports/LeadRepository';

/**
 * The operations API's view of a lead. It includes the contact: the API is behind a function key and is the
 * operator's window onto the stored record.
 */
export function leadView(record: LeadRecord, journey: JourneyStep[] = []): Record<string, unknown> {
    const d = record.decision;
    return {
        leadId: record.leadId,
        status: record.status,
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
        deliveries: record.deliveries.map(({ etag: _etag, ...d }) => d),
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
