/* eslint-disable @typescript-eslint/require-await -- fakes implement promise-returning ports synchronously */
import {
    type DeliveryRecord,
    emailKeyOf,
    foldForSearch,
    type LeadRecord,
    type LeadStatus,
} from '../../shared/domain/index';
import type { LeadRepository, LeadSummary } from '../../shared/ports/LeadRepository';

/** The LeadRepository contract in memory, for function-level tests. */
export class InMemoryLeadRepository implements LeadRepository {
    readonly records = new Map<string, LeadRecord>();
    readonly raw = new Map<string, Uint8Array>();
    failWith: Error | undefined;

    private check(): void {
        if (this.failWith) throw this.failWith;
    }

    create: LeadRepository['create'] = async ({ leadId, lead, raw, now }) => {
        this.check();
        const existing = this.records.get(leadId);
        if (existing) return { created: false, status: existing.status };
        const at = now.toISOString();
        this.records.set(leadId, {
            leadId,
            status: 'received',
            lead,
            deliveries: [],
            history: [{ at, kind: 'received' }],
            receivedAt: lead.receivedAt,
            updatedAt: at,
            rawRef: 'table',
        });
        this.raw.set(leadId, raw);
        return { created: true, status: 'received' };
    };

    findExisting: LeadRepository['findExisting'] = async (ids) => {
        this.check();
        const id = ids.find((i) => this.records.has(i));
        return id === undefined ? undefined : { leadId: id, status: this.records.get(id)!.status };
    };

    get: LeadRepository['get'] = async (leadId) => {
        this.check();
        const r = this.records.get(leadId);
        return r === undefined ? undefined : (JSON.parse(JSON.stringify(r)) as LeadRecord);
    };

    private version = 0;

    /** Every write gives the row a new ETag, as Table Storage does. */
    private upsertDeliveries(r: LeadRecord, deliveries: DeliveryRecord[]): void {
        for (const given of deliveries) {
            const d = { ...given, etag: `v${++this.version}` };
            const i = r.deliveries.findIndex((x) => x.target === d.target);
            if (i >= 0) r.deliveries[i] = d;
            else r.deliveries.push(d);
        }
    }

    commitDeliveries: LeadRepository['commitDeliveries'] = async (ref, c) => {
        this.check();
        const r = this.records.get(ref.leadId)!;
        const matches = (d: DeliveryRecord) => r.deliveries.find((x) => x.target === d.target)?.etag === d.etag;
        if (![...c.deliveries, ...(c.unchanged ?? [])].every(matches)) return false;
        this.upsertDeliveries(r, c.deliveries);
        if (c.status !== undefined) {
            r.status = c.status;
            r.updatedAt = c.now.toISOString();
            if (c.completed === true) r.completedAt = r.updatedAt;
        }
        r.history.push(c.history, ...(c.moreHistory ?? []));
        return JSON.parse(
            JSON.stringify(r.deliveries.filter((d) => c.deliveries.some((x) => x.target === d.target))),
        ) as DeliveryRecord[];
    };

    saveDecision: LeadRepository['saveDecision'] = async (ref, decision, status, deliveries, now, options) => {
        const r = this.records.get(ref.leadId)!;
        if (options?.sla !== undefined) r.sla = { ...options.sla, etag: `v${++this.version}` };
        r.decision = decision;
        r.status = status;
        r.updatedAt = now.toISOString();
        this.upsertDeliveries(r, deliveries);
        r.history.push({ at: r.updatedAt, kind: 'decided' });
        return JSON.parse(
            JSON.stringify(r.deliveries.filter((d) => deliveries.some((x) => x.target === d.target))),
        ) as DeliveryRecord[];
    };

    saveSla: LeadRepository['saveSla'] = async (ref, sla, history, _now, decision) => {
        this.check();
        const r = this.records.get(ref.leadId)!;
        if (r.sla?.etag !== sla.etag) return false;
        if (decision !== undefined) r.decision = structuredClone(decision);
        r.sla = { ...sla, etag: `v${++this.version}` };
        r.history.push(...history);
        return { ...r.sla };
    };

    setStatus: LeadRepository['setStatus'] = async (ref, status: LeadStatus, history) => {
        const r = this.records.get(ref.leadId)!;
        r.status = status;
        r.updatedAt = history.at;
        r.history.push(history);
    };

    journey: LeadRepository['journey'] = async (personKey) =>
        [...this.records.values()]
            .filter((r) => r.lead.personKey === personKey)
            .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
            .map((r) => ({
                leadId: r.leadId,
                receivedAt: r.receivedAt,
                channel: r.lead.channel,
                actionCode: r.lead.action.code,
                actionMeaning: r.lead.action.meaning,
            }));

    // Here `updatedAt` changes only with the status, so it is the status time; the filters mirror the table index's.
    list: LeadRepository['list'] = async (query) => {
        const search = query.search;
        const matches = (r: LeadRecord): boolean => {
            const c = r.lead.contact;
            if (search !== undefined && 'emailKey' in search) {
                const email = c.emailNormalised ?? c.email;
                if (email === undefined || emailKeyOf(email) !== search.emailKey) return false;
            }
            if (search !== undefined && 'companyText' in search) {
                if (c.company === undefined || !foldForSearch(c.company).includes(search.companyText)) return false;
            }
            const offer = r.lead.offer.title ?? r.lead.offer.offerId;
            return (
                (query.grade === undefined || r.decision?.score.grade === query.grade) &&
                (query.outcome === undefined || r.decision?.qualification.outcome === query.outcome) &&
                (query.source === undefined || r.lead.source.kind === query.source) &&
                (query.action === undefined || r.lead.action.meaning === query.action) &&
                (query.offer === undefined || offer === query.offer) &&
                (query.channel === undefined || r.lead.channel === query.channel) &&
                (query.until === undefined || r.receivedAt < query.until.toISOString())
            );
        };
        const all: LeadSummary[] = [...this.records.values()]
            .filter((r) => query.status === undefined || r.status === query.status)
            .filter((r) => query.statusBefore === undefined || r.updatedAt < query.statusBefore.toISOString())
            .filter((r) => query.statusSince === undefined || r.updatedAt >= query.statusSince.toISOString())
            .filter((r) => query.since === undefined || r.receivedAt >= query.since.toISOString())
            .filter(matches)
            .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
            .map((r) => {
                const c = r.lead.contact;
                const name = [c.firstName, c.lastName].filter((p) => p !== undefined).join(' ');
                return {
                    leadId: r.leadId,
                    status: r.status,
                    statusAt: r.updatedAt,
                    receivedAt: r.receivedAt,
                    channel: r.lead.channel,
                    grade: r.decision?.score.grade,
                    name: name === '' ? undefined : name,
                    company: c.company,
                    offer: r.lead.offer.title ?? r.lead.offer.offerId,
                    actionCode: r.lead.action.code,
                    action: r.lead.action.meaning,
                    source: r.lead.source.kind,
                    outcome: r.decision?.qualification.outcome,
                    points: r.decision?.score.points,
                    completedAt: r.completedAt,
                    deliveries:
                        r.completedAt === undefined
                            ? undefined
                            : r.deliveries.map((d) => ({ target: d.target, status: d.status, attempts: d.attempts })),
                };
            });
        const start = Number(query.continuationToken ?? 0);
        const items = all.slice(start, start + query.limit);
        return { items, continuationToken: start + query.limit < all.length ? String(start + query.limit) : undefined };
    };
}
