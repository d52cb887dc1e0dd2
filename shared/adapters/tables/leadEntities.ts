import type { TableEntity, TransactionAction } from '@azure/data-tables';

import type { CallInFlight, DeliveryRecord, LeadHistoryEntry } from '../../domain/index';

/**
 * Row layout of the `Leads` table. One partition per lead (PartitionKey = lead id) holds the lead row, the raw body,
 * one row per target delivery and the history rows, so reading a lead is one partition query and every state change
 * of a lead is one entity-group transaction.
 */
export const leadRow = 'lead';
/** The lead's owner and SLA clock (`LeadSla`), written only with its ETag. */
export const slaRow = 'sla';
export const rawRow = 'raw';
export const deliveryRow = (target: string): string => `d_${encodeURIComponent(target)}`;
/** Deterministic, so an activity that runs twice overwrites its history entry instead of adding one. */
/** Time, kind, then what tells two entries of one moment apart: the target, the attempt and the run that made it. */
export const historyRow = (h: LeadHistoryEntry): string => {
    const d = h.detail ?? {};
    const part = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? `_${encodeURIComponent(v)}` : '');
    return `h_${h.at}_${h.kind}${part(d.target)}${part(d.attempt)}${part(d.run)}`;
};

/** Drops absent values: the service would ignore them, and a Replace write must leave them out to clear them. */
export function compact(entity: Record<string, unknown>): TableEntity {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entity)) if (value !== undefined && value !== null) out[key] = value;
    return out as TableEntity;
}

/** Written with Replace, so a field that is absent now (e.g. `lastError` after a success) is cleared. */
export function deliveryEntity(leadId: string, d: DeliveryRecord): TableEntity {
    return compact({
        partitionKey: leadId,
        rowKey: deliveryRow(d.target),
        target: d.target,
        role: d.role,
        status: d.status,
        attempts: d.attempts,
        externalId: d.externalId,
        created: d.created === true ? true : undefined,
        lastError: d.lastError,
        lastHttpStatus: d.lastHttpStatus,
        skippedReason: d.skippedReason,
        updatedAt: d.updatedAt,
        deliveredAt: d.deliveredAt,
        claimedBy: d.claimedBy,
        inFlight: d.inFlight === undefined || d.inFlight.length === 0 ? undefined : JSON.stringify(d.inFlight),
        inDoubt: d.inDoubt,
    });
}

export function historyEntity(leadId: string, h: LeadHistoryEntry): TableEntity {
    return {
        partitionKey: leadId,
        rowKey: historyRow(h),
        at: h.at,
        kind: h.kind,
        detail: JSON.stringify(h.detail ?? {}),
    };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export function toDelivery(e: Record<string, unknown>): DeliveryRecord {
    const inFlight = callsOf(e.inFlight);
    return {
        target: String(e.target),
        role: String(e.role),
        status: String(e.status) as DeliveryRecord['status'],
        attempts: num(e.attempts) ?? 0,
        externalId: str(e.externalId),
        ...(e.created === true ? { created: true } : {}),
        lastError: str(e.lastError),
        lastHttpStatus: num(e.lastHttpStatus),
        skippedReason: str(e.skippedReason),
        updatedAt: String(e.updatedAt),
        deliveredAt: str(e.deliveredAt),
        claimedBy: str(e.claimedBy),
        ...(inFlight.length === 0 ? {} : { inFlight }),
        ...(num(e.inDoubt) === undefined ? {} : { inDoubt: num(e.inDoubt) }),
        etag: str(e.etag),
    };
}

/** The calls in flight column: a JSON list this adapter wrote; anything unreadable is no call. */
function callsOf(value: unknown): CallInFlight[] {
    if (typeof value !== 'string') return [];
    try {
        const parsed = JSON.parse(value) as unknown;
        if (!Array.isArray(parsed)) return [];
        return parsed.filter(
            (c): c is CallInFlight =>
                typeof c === 'object' &&
                c !== null &&
                typeof (c as CallInFlight).attempt === 'number' &&
                typeof (c as CallInFlight).run === 'string' &&
                typeof (c as CallInFlight).since === 'string',
        );
    } catch {
        return [];
    }
}

/**
 * The transaction actions that write `deliveries` and check `unchanged` against the ETags they were read with. A
 * row to check is "updated" with no properties (Merge), which changes nothing but fails with 412 when it changed.
 */
export function conditionalDeliveryActions(
    leadId: string,
    deliveries: readonly DeliveryRecord[],
    unchanged: readonly DeliveryRecord[],
): TransactionAction[] {
    const writes = deliveries.map((d): TransactionAction => {
        const entity = deliveryEntity(leadId, d);
        return d.etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: d.etag }];
    });
    const checks = unchanged.flatMap((d): TransactionAction[] =>
        d.etag === undefined
            ? []
            : [['update', { partitionKey: leadId, rowKey: deliveryRow(d.target) }, 'Merge', { etag: d.etag }]],
    );
    return [...writes, ...checks];
}

export function toHistory(e: Record<string, unknown>): LeadHistoryEntry {
    return {
        at: String(e.at),
        kind: String(e.kind),
        detail: JSON.parse(typeof e.detail === 'string' ? e.detail : '{}') as LeadHistoryEntry['detail'],
    };
}

export { num, str };
