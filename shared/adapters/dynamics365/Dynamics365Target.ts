import type { TokenCredential } from '@azure/core-auth';

import { PermanentError, type TargetRole } from '../../domain/index';
import type { DeliveryRequest, DeliveryResult } from '../../ports/DeliveryTarget';
import type { Logger } from '../../ports/Logger';
import { campaignFor, type QualityMapping, qualityValue } from '../crmKit/crmOptions';
import { type CrmSettings, CrmTarget } from '../crmKit/CrmTarget';
import { deterministicGuid } from '../crmKit/deterministicGuid';
import type { MappedRecord } from '../crmKit/fieldMapping';
import { cutText, fitToLength } from '../crmKit/fitToLength';
import type { HttpRequest, HttpResponse } from '../crmKit/httpCall';
import { leadFields } from '../crmKit/leadFields';
import type { TargetHttp } from '../crmKit/TargetHttp';
import { sharedTokenCache, type Token, type TokenCache } from '../crmKit/TokenCache';
import { dataverseToken } from './dataverseCredential';
import { dataverseError, dataverseErrorCode, isMissingReference } from './dataverseErrors';
import {
    annotationLengths,
    dataverseApiPath,
    dataverseGuid,
    dataverseLeadLengths,
    dynamicsProfile,
    newLeadStatus,
    openLeadState,
} from './dynamicsDefaults';
import { leadId, odataString, odataValue } from './odata';

export interface Dynamics365Settings extends CrmSettings {
    environmentUrl: string;
    /** Column of an alternate key on `lead` that receives the person key; enables a single-call upsert. */
    alternateKey?: string;
    /** Column compared, with the email, to find an existing lead when no alternate key is configured. */
    offerField: string;
    leadSourceCode: number;
    /** Grade → `leadqualitycode` (or the configured column); undefined writes no rating. */
    quality?: QualityMapping;
    /** Campaign id (`mktcmpid` / `utm_campaign`) → Dataverse `campaign` id, bound to the lead's `campaignid`. */
    campaigns?: Record<string, string | number>;
    /** Adds a note (annotation) with the lead's full text to the lead row, one per lead. */
    addNote: boolean;
    /** Identifies the credential (tenant, client, secret) for the shared token cache; never logged. */
    credentialKey: string;
}

/** `0x80040237` DuplicateRecord: two first upserts of one person raced on the alternate key (Dataverse error codes). */
const duplicateRecord = '0x80040237';

/**
 * Dataverse Web API v9.2 `leads`: upsert by alternate key, or look up an open lead by email + offer, then update or
 * create. Qualified and disqualified leads are read-only (Dynamics 365 Sales, "Qualify or convert leads"): a person's
 * new interest after their lead was closed goes to an open lead of theirs, a new one if needed. Each lead adds a note.
 */
export class Dynamics365Target extends CrmTarget<Dynamics365Settings> {
    readonly type = 'dynamics365' as const;
    protected readonly profile = dynamicsProfile;
    private readonly tokens: TokenCache<Token>;

    constructor(
        name: string,
        role: TargetRole,
        settings: Dynamics365Settings,
        newCredential: () => TokenCredential,
        http: TargetHttp,
        logger: Logger,
        now: () => Date,
    ) {
        super(name, role, settings, http, logger, now);
        // A fresh credential per token request: our cache decides when to refresh, not MSAL's own cache.
        this.tokens = sharedTokenCache(
            ['dynamics365', name, settings.environmentUrl, settings.credentialKey],
            () => dataverseToken(newCredential(), settings.environmentUrl, name),
            now,
        );
    }

    protected async upsert(mapped: MappedRecord, request: DeliveryRequest): Promise<DeliveryResult> {
        const { lead, decision, owner } = request;
        const record: MappedRecord = { ...mapped, leadsourcecode: this.settings.leadSourceCode };
        const quality = qualityValue(this.settings.quality, decision.score.grade);
        if (quality !== undefined && this.settings.quality) record[this.settings.quality.field] = quality;
        const fitted = fitToLength(record, dataverseLeadLengths, { dropWhenLong: new Set(['emailaddress1']) });
        const bindings: Record<string, string> = {};
        const campaign = campaignFor(lead, this.settings.campaigns);
        if (campaign) bindings['campaignid@odata.bind'] = `/campaigns(${campaign.crmId})`;
        if (owner?.id) bindings['ownerid@odata.bind'] = ownerBinding(owner.id);
        const notes: string[] = [];
        if (fitted.changed.length > 0) notes.push(`cut to column length: ${fitted.changed.join(', ')}`);

        const written = this.settings.alternateKey
            ? await this.upsertByKey(this.settings.alternateKey, request, fitted.record, bindings, notes)
            : await this.upsertByLookup(fitted.record, bindings, notes);
        if (this.settings.addNote && written.externalId) {
            await this.addNote(written.externalId, request);
            notes.push('note added');
        }
        return { ...written, note: notes.join('; ') || undefined };
    }

    protected async probe(): Promise<undefined> {
        await this.call({ method: 'GET', url: `${this.api}/WhoAmI` });
    }

    /**
     * The lead row's status: a new lead is open (`statecode` 0) with the status reason "New" (`statuscode` 1); sales
     * moving it on ("Contacted" 2), qualifying (statecode 1) or disqualifying it (statecode 2) means it was worked
     * (Lead table reference, statecode and statuscode choices). One GET of the row the delivery stored, by its id.
     */
    async leadStatus(
        _request: DeliveryRequest,
        recordId?: string,
    ): Promise<{ status: string; worked: boolean } | undefined> {
        if (recordId === undefined || !dataverseGuid.test(recordId)) return undefined;
        const response = await this.call(
            { method: 'GET', url: `${this.api}/leads(${recordId})?$select=statecode,statuscode` },
            [404],
        );
        if (response.status === 404) return undefined;
        const row = response.json as { statecode?: unknown; statuscode?: unknown };
        if (typeof row.statecode !== 'number' || typeof row.statuscode !== 'number') return undefined;
        const worked = row.statecode !== openLeadState || row.statuscode !== newLeadStatus;
        return { status: `${row.statecode}/${row.statuscode}`, worked };
    }

    private get api(): string {
        return `${this.settings.environmentUrl}${dataverseApiPath}`;
    }

    /**
     * The person's open lead by alternate key: read it first (one GET), because a closed one must not be written; an
     * open one or none is upserted in one PATCH. When it is closed, the new interest goes to the person's open
     * follow-up lead (key `<personKey>~…`), created keyed by this lead so a repeat finds it again.
     */
    private async upsertByKey(
        column: string,
        request: DeliveryRequest,
        record: MappedRecord,
        bindings: Record<string, string>,
        notes: string[],
    ): Promise<Omit<DeliveryResult, 'note'>> {
        const personKey = request.lead.personKey ?? request.lead.leadKey;
        const keyed = `${this.api}/leads(${column}=${odataString(personKey)})`;
        const existing = await this.call({ method: 'GET', url: `${keyed}?$select=leadid,statecode` }, [404]);
        const state = (existing.json as { statecode?: number } | undefined)?.statecode;
        if (existing.status === 404 || state === openLeadState) return this.patchByKey(keyed, record, bindings, notes);

        notes.push('the person’s lead is closed (qualified or disqualified): new interest on an open lead');
        const prefix = `${personKey}~`;
        const filter = `startswith(${column},${odataValue(prefix)}) and statecode eq ${openLeadState}`;
        const open = await this.call({
            method: 'GET',
            url: `${this.api}/leads?$select=leadid&$top=1&$filter=${encodeURIComponent(filter)}`,
        });
        const openId = (open.json as { value?: { leadid?: string }[] }).value?.[0]?.leadid;
        if (openId) return this.updateById(openId, record, bindings, notes);
        const followUp = `${this.api}/leads(${column}=${odataString(prefix + request.lead.leadKey)})`;
        return this.patchByKey(followUp, record, bindings, notes);
    }

    /** One upsert; a 412 DuplicateRecord is a simultaneous first upsert of the same person: it is repeated, as an update. */
    private async patchByKey(
        url: string,
        record: MappedRecord,
        bindings: Record<string, string>,
        notes: string[],
    ): Promise<Omit<DeliveryResult, 'note'>> {
        const send = () =>
            this.write(
                { method: 'PATCH', url: `${url}?$select=leadid`, headers: { prefer: 'return=representation' } },
                record,
                bindings,
                notes,
                [412],
            );
        let response = await send();
        if (response.status === 412 && dataverseErrorCode(response) === duplicateRecord) response = await send();
        if (response.status === 412) throw dataverseError(this.name, response, this.now());
        return {
            action: response.status === 201 ? 'created' : 'updated',
            externalId: leadId(response),
            status: response.status,
        };
    }

    private async upsertByLookup(
        record: MappedRecord,
        bindings: Record<string, string>,
        notes: string[],
    ): Promise<Omit<DeliveryResult, 'note'>> {
        const email = record.emailaddress1;
        const offer = record[this.settings.offerField];
        if (typeof email !== 'string' || offer === undefined) {
            throw new PermanentError(`${this.name}: no email/offer to look the lead up by; configure alternateKey`, {
                code: 'missing-lookup-key',
            });
        }
        // Open leads only: a qualified or disqualified lead is read-only, so new interest becomes a new lead.
        const filter =
            `emailaddress1 eq ${odataValue(email)} and ${this.settings.offerField} eq ${odataValue(offer)}` +
            ` and statecode eq ${openLeadState}`;
        const found = await this.call({
            method: 'GET',
            url: `${this.api}/leads?$select=leadid&$top=1&$filter=${encodeURIComponent(filter)}`,
        });
        const existing = (found.json as { value?: { leadid?: string }[] }).value?.[0]?.leadid;
        if (existing) {
            const updated = await this.updateById(existing, record, bindings, notes);
            if (updated.status !== 404) return updated;
        }
        const created = await this.write(
            { method: 'POST', url: `${this.api}/leads?$select=leadid`, headers: { prefer: 'return=representation' } },
            record,
            bindings,
            notes,
        );
        return { action: 'created', externalId: leadId(created), status: created.status };
    }

    /** Update only (`If-Match: *`): a lead deleted meanwhile answers 404 and is not re-created here. */
    private async updateById(
        id: string,
        record: MappedRecord,
        bindings: Record<string, string>,
        notes: string[],
    ): Promise<Omit<DeliveryResult, 'note'>> {
        const updated = await this.write(
            { method: 'PATCH', url: `${this.api}/leads(${id})`, headers: { 'if-match': '*' } },
            record,
            bindings,
            notes,
            [404],
        );
        return { action: 'updated', externalId: id, status: updated.status };
    }

    /**
     * Writes the row with its campaign and owner bindings. A campaign or user that does not exist (`0x80040217` naming
     * it) must not lose the lead: the row is written again without the bindings and the delivery's note says so.
     */
    private async write(
        request: Omit<HttpRequest, 'body'>,
        record: MappedRecord,
        bindings: Record<string, string>,
        notes: string[],
        accept: number[] = [],
    ): Promise<HttpResponse> {
        const response = await this.call({ ...request, body: { ...record, ...bindings } }, accept, true);
        if (Object.keys(bindings).length === 0 || !isMissingReference(response)) {
            if (response.status >= 300 && !accept.includes(response.status))
                throw dataverseError(this.name, response, this.now());
            return response;
        }
        notes.push(`written without ${Object.keys(bindings).join(', ')} (not found in Dataverse)`);
        return this.call({ ...request, body: record }, accept);
    }

    /**
     * The lead's full text as a note on the row: `PATCH annotations(<id>)` with an id derived from the delivery's
     * idempotency key is an upsert by primary key (Web API "Upsert a table row"), so a repeat updates the same note.
     */
    private async addNote(leadRecordId: string, request: DeliveryRequest): Promise<void> {
        const view = leadFields(request.lead, request.decision, request.owner);
        const subject = `Azure Marketplace lead: ${view.actionMeaning ?? view.action ?? 'lead'} – ${view.offer ?? ''}`;
        const body = {
            subject: cutText(subject, annotationLengths.subject!),
            notetext: cutText(String(view.summary), annotationLengths.notetext!),
            'objectid_lead@odata.bind': `/leads(${leadRecordId})`,
        };
        await this.call({
            method: 'PATCH',
            url: `${this.api}/annotations(${deterministicGuid(request.idempotencyKey)})`,
            body,
        });
    }

    /**
     * Sends with a bearer token; on 401 drops the token and retries once with a new one. Other errors throw, unless
     * their status is in `accept` or `raw` asks for the response.
     */
    private async call(request: HttpRequest, accept: number[] = [], raw = false): Promise<HttpResponse> {
        for (let attempt = 1; ; attempt++) {
            const token = await this.tokens.get();
            const response = await this.http.send({
                ...request,
                headers: {
                    ...request.headers,
                    authorization: `Bearer ${token.accessToken}`,
                    'odata-version': '4.0',
                    'odata-maxversion': '4.0',
                },
            });
            if (response.status === 401 && attempt === 1) {
                this.tokens.invalidate(token);
                continue;
            }
            if ((response.status >= 200 && response.status < 300) || accept.includes(response.status) || raw)
                return response;
            throw dataverseError(this.name, response, this.now());
        }
    }
}

/** `ownerid` binds to a user (`systemusers`) or a team (`teams(<id>)` given explicitly). */
function ownerBinding(id: string): string {
    if (/^(systemusers|teams)\([0-9a-f-]{36}\)$/iu.test(id)) return `/${id}`;
    return `/systemusers(${id})`;
}
