import {
    emailHashOf,
    emailKeyOf,
    type JourneyStep,
    type LeadRecord,
    normaliseForMatch,
    type PrivacyPolicy,
} from '../../domain/index';
import type { ErasureLog } from '../../ports/ErasureLog';
import type { LeadEraser } from '../../ports/LeadEraser';
import type { LeadRepository } from '../../ports/LeadRepository';
import type { Logger } from '../../ports/Logger';
import type { MarketplaceRowEraser } from '../../ports/MarketplaceRowEraser';
import type { ParkedLead } from '../../ports/ParkedLeadStore';
import type { InvalidPayloadCopy, PayloadEraser } from '../../ports/PayloadEraser';
import type { PersonRequest } from './erasureRequest';

export interface ExportPersonDeps {
    leads: LeadRepository;
    eraser: LeadEraser;
    payloads: PayloadEraser;
    marketplaceRows: MarketplaceRowEraser | undefined;
    log: ErasureLog;
    policy: PrivacyPolicy;
    /** Each configured target's type, to say which CRM a record is in. */
    targetTypes: Readonly<Record<string, string>>;
    logger: Logger;
    now(): Date;
    randomId(): string;
}

/** One export holds at most this many leads and this much raw text; past either it says it is not complete. */
const MAX_LEADS = 500;
const MAX_RAW_CHARS = 32 * 1024 * 1024;

export interface ExportedLead {
    leadId: string;
    status: string;
    channel: string;
    receivedAt: string;
    updatedAt: string;
    completedAt?: string;
    lead: LeadRecord['lead'];
    decision?: LeadRecord['decision'];
    deliveries: { target: string; status: string; recordId?: string; deliveredAt?: string; attempts: number }[];
    history: LeadRecord['history'];
    rawBody: { kept: true; text: string } | { kept: false };
}

export interface CrmRecordCopy {
    target: string;
    type?: string;
    recordId: string;
    leadIds: string[];
    deliveredAt?: string;
}

/** The answer to a subject access request: everything the pipeline holds about the person, as one document. */
export interface PersonExport {
    exportId: string;
    exportedAt: string;
    subject: { email: string; offer?: string };
    leads: ExportedLead[];
    journeys: JourneyStep[];
    /** Which CRMs received the person, and the record each holds. */
    crmRecords: CrmRecordCopy[];
    invalidPayloads: InvalidPayloadCopy[];
    parkedEvents: ParkedLead[];
    /** The person's rows of the marketplace's own table, when asked for and configured. */
    marketplaceTableRows?: Record<string, unknown>[];
    /** Leads of the person erased before: only their tombstone is left (lead id and a keyed hash of the email). */
    erasedLeads: string[];
    /** How long each kind of data is kept, in days. */
    retentionDays: PrivacyPolicy['retentionDays'];
    complete: boolean;
    /** Why the export is not complete. */
    incomplete?: string;
}

const decoder = new TextDecoder('utf-8');

async function allPages<T>(page: (token?: string) => Promise<{ items: T[]; continuationToken?: string }>) {
    const items: T[] = [];
    let token: string | undefined;
    do {
        const next = await page(token);
        items.push(...next.items);
        token = next.continuationToken;
    } while (token !== undefined);
    return items;
}

/**
 * Reads everything held about the person (by the email's keys, never by the address itself) and writes an export
 * entry (counts only) to the privacy audit. The leads are read whole; the rest of the storage only by keys.
 */
export async function exportPerson(
    deps: ExportPersonDeps,
    request: PersonRequest & { email: string },
): Promise<PersonExport> {
    const emailKey = emailKeyOf(request.email);
    const emailHash = emailHashOf(request.email, await deps.log.hashKey());
    const offer = request.offer === undefined ? undefined : normaliseForMatch(request.offer);
    const live: string[] = [];
    const erasedLeads: string[] = [];
    let token: string | undefined;
    do {
        const page = await deps.eraser.findPage({ emailKey, emailHash, offer }, token);
        live.push(...page.live);
        erasedLeads.push(...page.erased);
        token = page.continuationToken;
    } while (token !== undefined);

    let incomplete: string | undefined;
    if (live.length > MAX_LEADS) incomplete = `only the first ${MAX_LEADS} of ${live.length} leads; export by offer`;
    const leads: ExportedLead[] = [];
    const journeys = new Map<string, JourneyStep[]>();
    const crm = new Map<string, CrmRecordCopy>();
    let rawChars = 0;
    for (const leadId of live.slice(0, MAX_LEADS)) {
        const record = await deps.leads.get(leadId);
        if (record === undefined) continue;
        const raw = await deps.eraser.rawBody(leadId);
        let rawBody: ExportedLead['rawBody'] = { kept: false };
        if (raw !== undefined && rawChars + raw.byteLength <= MAX_RAW_CHARS) {
            rawBody = { kept: true, text: decoder.decode(raw) };
            rawChars += raw.byteLength;
        } else if (raw !== undefined) incomplete ??= 'raw bodies past 32 MiB are left out';
        leads.push({
            leadId,
            status: record.status,
            channel: record.lead.channel,
            receivedAt: record.receivedAt,
            updatedAt: record.updatedAt,
            completedAt: record.completedAt,
            lead: record.lead,
            decision: record.decision,
            deliveries: record.deliveries.map((d) => ({
                target: d.target,
                status: d.status,
                recordId: d.externalId,
                deliveredAt: d.deliveredAt,
                attempts: d.attempts,
            })),
            history: record.history,
            rawBody,
        });
        const personKey = record.lead.personKey;
        if (personKey !== undefined && !journeys.has(personKey))
            journeys.set(personKey, await deps.leads.journey(personKey));
        for (const d of record.deliveries) {
            if (d.externalId === undefined) continue;
            const key = `${d.target}\u001f${d.externalId}`;
            const copy = crm.get(key) ?? {
                target: d.target,
                type: deps.targetTypes[d.target],
                recordId: d.externalId,
                leadIds: [],
            };
            copy.leadIds.push(leadId);
            if (d.deliveredAt !== undefined && (copy.deliveredAt === undefined || d.deliveredAt > copy.deliveredAt)) {
                copy.deliveredAt = d.deliveredAt;
            }
            crm.set(key, copy);
        }
    }
    const invalidPayloads = await allPages((t) => deps.payloads.invalidPayloadsWith(emailKey, t));
    const parkedEvents = await deps.payloads.parkedFor(live, emailKey);
    let marketplaceTableRows: Record<string, unknown>[] | undefined;
    if (request.marketplaceTable === true && deps.marketplaceRows !== undefined) {
        const rows = deps.marketplaceRows;
        marketplaceTableRows = (
            await allPages(async (t) => {
                const page = await rows.rowsWith(emailKey, t);
                return { items: page.rows, continuationToken: page.continuationToken };
            })
        ).map(({ etag: _etag, ...row }) => row);
    }
    const at = deps.now();
    const exportId = `ex-${at
        .toISOString()
        .replace(/[-:]/gu, '')
        .replace(/\.\d{3}/u, '')}-${deps.randomId()}`;
    await deps.log.recordExport({
        exportId,
        at: at.toISOString(),
        leads: leads.length,
        invalidPayloads: invalidPayloads.length,
        parkedEvents: parkedEvents.length,
        marketplaceRows: marketplaceTableRows?.length ?? 0,
    });
    deps.logger.info('Personal data exported', { exportId, leads: leads.length, erasedLeads: erasedLeads.length });
    return {
        exportId,
        exportedAt: at.toISOString(),
        subject: { email: request.email, ...(request.offer === undefined ? {} : { offer: request.offer }) },
        leads,
        journeys: [...journeys.values()].flat(),
        crmRecords: [...crm.values()].sort(
            (a, b) => a.target.localeCompare(b.target) || a.recordId.localeCompare(b.recordId),
        ),
        invalidPayloads,
        parkedEvents,
        ...(marketplaceTableRows === undefined ? {} : { marketplaceTableRows }),
        erasedLeads,
        retentionDays: deps.policy.retentionDays,
        complete: incomplete === undefined,
        ...(incomplete === undefined ? {} : { incomplete }),
    };
}
