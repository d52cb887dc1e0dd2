import {
    type AbandonReason,
    type DeliveryRecord,
    type JourneyStep,
    type LeadRecord,
    viewedStatus,
} from '../domain/index';

/**
 * The operations API's view of a lead. It includes the contact and the customer's own message: the API serves
 * authorised callers only (a function key, or the console's read role) and is the operator's window onto the
 * stored record. A target whose claim was abandoned (`abandonedClaims`: its run failed or
 * was terminated) shows as `stalled` (with the stored status as `claimStatus` and why as `stalledReason`), and so
 * does the lead when nothing else is in progress: it needs a redelivery, it is not being delivered.
 */
export function leadDetails(
    record: LeadRecord,
    journey: JourneyStep[] = [],
    abandoned: ReadonlyMap<string, AbandonReason> = new Map(),
    recordUrl: (target: string, externalId: string | undefined) => string | undefined = () => undefined,
): Record<string, unknown> {
    const d = record.decision;
    const stalled = (row: DeliveryRecord) => abandoned.has(row.target);
    return {
        leadId: record.leadId,
        status: viewedStatus(record, abandoned),
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
        deliveries: record.deliveries.map(({ etag: _etag, ...stored }) => {
            const row = { ...stored, recordUrl: recordUrl(stored.target, stored.externalId) };
            return stalled(row)
                ? { ...row, status: 'stalled', claimStatus: row.status, stalledReason: abandoned.get(row.target) }
                : row;
        }),
        source: record.lead.source,
        action: record.lead.action,
        offer: record.lead.offer,
        contact: record.lead.contact,
        // What the customer wrote (Contact me notes); campaign JSON in the description is `campaign` instead.
        message: record.lead.description.notes,
        description: record.lead.description.raw,
        campaign: record.lead.description.campaign,
        flags: record.lead.flags,
        personKey: record.lead.personKey,
        journey,
        leadKey: record.lead.leadKey,
        rawRef: record.rawRef,
        history: record.history,
        owner: d?.owner ?? null,
        assignment: d?.assignment ?? null,
        sla: record.sla === undefined ? null : (({ etag: _etag, ...sla }) => sla)(record.sla),
        speed: speedOf(record),
    };
}

/** Click → first CRM record, → first notification, → acknowledgement, in ms (null where it has not happened). */
function speedOf(record: LeadRecord): Record<string, number | null> {
    const created = record.lead.createdTime === undefined ? NaN : Date.parse(record.lead.createdTime);
    const click = Number.isFinite(created) ? created : Date.parse(record.receivedAt);
    const first = (role: string) => {
        const times = record.deliveries
            .filter((d) => d.role === role && d.status === 'delivered')
            .map((d) => Date.parse(d.updatedAt ?? ''))
            .filter(Number.isFinite);
        return times.length === 0 ? null : Math.min(...times) - click;
    };
    const ack = record.sla?.acknowledgedAt === undefined ? NaN : Date.parse(record.sla.acknowledgedAt);
    return {
        clickToCrmMs: first('outreach'),
        clickToNotificationMs: first('notify'),
        clickToAckMs: Number.isFinite(ack) ? ack - click : null,
    };
}
