import { createHash } from 'node:crypto';

import type { DeliveryRequest, DeliveryResult } from '../../ports/DeliveryTarget';
import { campaignFor, type QualityMapping, qualityValue } from '../crmKit/crmOptions';
import { type CrmSettings, CrmTarget } from '../crmKit/CrmTarget';
import type { MappedRecord } from '../crmKit/fieldMapping';
import { cutText, fitToLength } from '../crmKit/fitToLength';
import type { HttpRequest, HttpResponse } from '../crmKit/httpCall';
import { leadFields } from '../crmKit/leadFields';
import { sharedTokenCache, type TokenCache } from '../crmKit/TokenCache';
import { requestSalesforceToken, type SalesforceAuthOptions, type SalesforceToken } from './salesforceAuth';
import { salesforceLeadLengths, salesforceProfile, salesforceTaskLengths } from './salesforceDefaults';
import { ownerRefused, salesforceError, salesforceErrorCode } from './salesforceErrors';

/**
 * When Lead assignment rules run (`Sforce-Auto-Assign`, REST API "Assignment Rule Header", default TRUE for creates and
 * updates): `onCreate` on new Leads only, so a person who comes back keeps the owner sales gave them; `always`;
 * `never`; or an AssignmentRule id (`01Q…`) run on new Leads. A Lead written with an owner from the pipeline never
 * runs them: the rules would overwrite that owner.
 */
export type AssignmentRules = 'onCreate' | 'always' | 'never' | `01Q${string}`;

export interface SalesforceSettings extends CrmSettings {
    auth: SalesforceAuthOptions;
    apiVersion: string;
    /** External-id field on Lead (e.g. `Marketplace_Person_Key__c`), unique, receiving the person key. */
    externalIdField: string;
    /** `allowSave` resends a duplicate-rule rejection with `Sforce-Duplicate-Rule-Header: allowSave=true`. */
    duplicateRule: 'fail' | 'allowSave';
    assignmentRules: AssignmentRules;
    leadSource: string;
    quality?: QualityMapping;
    /** Campaign id (`mktcmpid` / `utm_campaign`) → Salesforce Campaign id (`701…`): the Lead becomes a member. */
    campaigns?: Record<string, string | number>;
    /** Logs each lead as a Task on its Lead (the person's journey; Description keeps only the latest lead). */
    createTask: boolean;
    sessionTtlMs: number;
    requestLimitRetryMs: number;
}

interface ExistingLead {
    Id: string;
    IsConverted?: boolean;
    ConvertedContactId?: string | null;
    ConvertedAccountId?: string | null;
    OwnerId?: string;
}

/**
 * Salesforce REST: `Lead` upserted by external id, so retries and a person's later leads update one record. The Lead
 * is read first: a converted Lead cannot be updated (`CANNOT_UPDATE_CONVERTED_LEAD`), so a converted person's new
 * interest becomes an open Task on the Contact they were converted to, for that Contact's owner; and the read tells
 * whether assignment rules may run (new Leads only, by default). Each lead is logged as a Task, once.
 */
export class SalesforceTarget extends CrmTarget<SalesforceSettings> {
    readonly type = 'salesforce' as const;
    protected readonly profile = salesforceProfile;
    private readonly tokens: TokenCache<SalesforceToken> = sharedTokenCache(
        ['salesforce', this.name, JSON.stringify(this.settings.auth)],
        () => requestSalesforceToken(this.http, this.settings.auth, this.now(), this.settings.sessionTtlMs),
        this.now,
    );

    protected async upsert(mapped: MappedRecord, request: DeliveryRequest): Promise<DeliveryResult> {
        const { lead, decision, owner } = request;
        const record: MappedRecord = { ...mapped };
        delete record[this.settings.externalIdField];
        if (record.LeadSource === undefined) record.LeadSource = this.settings.leadSource;
        const rating = qualityValue(this.settings.quality, decision.score.grade);
        if (rating !== undefined && this.settings.quality) record[this.settings.quality.field] = rating;
        if (owner?.id) record.OwnerId = owner.id;
        const fitted = fitToLength(record, salesforceLeadLengths, { dropWhenLong: new Set(['Email']) });
        const notes: string[] = [];
        if (fitted.changed.length > 0) notes.push(`cut to field length: ${fitted.changed.join(', ')}`);

        const path = `/sobjects/Lead/${this.settings.externalIdField}/${encodeURIComponent(lead.personKey ?? lead.leadKey)}`;
        const existing = await this.readLead(path);
        if (existing?.IsConverted) return this.toConvertedContact(existing, request, notes);

        let response = await this.patchLead(path, fitted.record, this.autoAssign(existing !== undefined, owner?.id));
        const refused = fitted.record.OwnerId === undefined ? undefined : ownerRefused(response);
        if (refused !== undefined) {
            // An owner Salesforce will not take (left the company, a wrong id) must not lose the lead: it is written
            // without one, so the org's own rules (assignment rules on a new Lead, the API user) decide, and the
            // delivery's note says why.
            delete fitted.record.OwnerId;
            notes.push(`owner ${owner?.personId ?? ''} refused (${refused}): written without it`);
            response = await this.patchLead(path, fitted.record, this.autoAssign(existing !== undefined, undefined));
        }
        const code = salesforceErrorCode(response);
        if (code === 'DUPLICATE_VALUE' && existing === undefined) {
            // Another delivery of the same person created the Lead between our read and our write: update it.
            notes.push('created concurrently: updated');
            response = await this.patchLead(path, fitted.record, this.autoAssign(true, ownerIdOf(fitted.record)));
        } else if (code === 'CANNOT_UPDATE_CONVERTED_LEAD') {
            const converted = await this.readLead(path);
            if (converted?.IsConverted) return this.toConvertedContact(converted, request, notes);
        }
        if (response.status < 200 || response.status >= 300) {
            throw salesforceError(this.name, response, this.now(), this.settings.requestLimitRetryMs);
        }
        let leadId = (response.json as { id?: string } | undefined)?.id ?? existing?.Id;
        if (!leadId) {
            // API versions before 46.0 answer an update with 204 and no body.
            leadId = (await this.readLead(path))?.Id;
        }
        const action = response.status === 201 ? 'created' : 'updated';
        if (leadId && this.settings.createTask) {
            notes.push(await this.logTask(request, { WhoId: leadId, Status: 'Completed' }, existing !== undefined));
        }
        if (leadId) {
            const member = await this.joinCampaign(request, { LeadId: leadId });
            if (member) notes.push(member);
        }
        return { action, externalId: leadId, status: response.status, note: notes.join('; ') || undefined };
    }

    /**
     * A query of the Lead external-id field: it proves the session, that the API user can read Leads and that the
     * field exists, which is what a delivery needs (`/limits` needs "View Setup and Configuration", which the API
     * user does not). `Sforce-Limit-Info` on the answer tells the day's API usage.
     */
    protected async probe(now: Date): Promise<string | undefined> {
        const soql = `SELECT Id FROM Lead WHERE ${this.settings.externalIdField} = '__health_check__' LIMIT 1`;
        const response = await this.call({ method: 'GET', url: `/query?q=${encodeURIComponent(soql)}` });
        if (response.status !== 200) throw salesforceError(this.name, response, now, this.settings.requestLimitRetryMs);
        const usage = /api-usage=(\d+)\/(\d+)/u.exec(response.headers.get('sforce-limit-info') ?? '');
        return usage ? `API requests used today: ${usage[1]} of ${usage[2]}` : undefined;
    }

    /**
     * The Lead's `Status`: a Lead starts as the standard picklist's default "Open - Not Contacted" (Salesforce Help,
     * "Lead Status picklist"); any other value means sales has worked it. One GET by the external id, through the
     * target's request budget.
     */
    async leadStatus(request: DeliveryRequest): Promise<{ status: string; worked: boolean } | undefined> {
        const { lead } = request;
        const path = `/sobjects/Lead/${this.settings.externalIdField}/${encodeURIComponent(lead.personKey ?? lead.leadKey)}`;
        const response = await this.call({ method: 'GET', url: `${path}?fields=Id,Status,IsConverted` });
        if (response.status === 404) return undefined;
        if (response.status !== 200)
            throw salesforceError(this.name, response, this.now(), this.settings.requestLimitRetryMs);
        const row = response.json as { Status?: unknown; IsConverted?: unknown };
        if (row.IsConverted === true) return { status: 'Converted', worked: true };
        const status = typeof row.Status === 'string' ? row.Status : '';
        return { status, worked: status !== '' && !UNTOUCHED_LEAD_STATUSES.has(status) };
    }

    /** `Sforce-Auto-Assign` for this write. */
    private autoAssign(exists: boolean, ownerId: string | undefined): string {
        const rules = this.settings.assignmentRules;
        if (ownerId !== undefined || rules === 'never') return 'FALSE';
        if (rules === 'always') return 'TRUE';
        if (exists) return 'FALSE';
        return rules === 'onCreate' ? 'TRUE' : rules;
    }

    private async readLead(path: string): Promise<ExistingLead | undefined> {
        const fields = 'Id,IsConverted,ConvertedContactId,ConvertedAccountId,OwnerId';
        const response = await this.call({ method: 'GET', url: `${path}?fields=${fields}` });
        if (response.status === 404) return undefined;
        if (response.status !== 200) {
            throw salesforceError(this.name, response, this.now(), this.settings.requestLimitRetryMs);
        }
        return response.json as ExistingLead;
    }

    private async patchLead(path: string, record: MappedRecord, autoAssign: string): Promise<HttpResponse> {
        const headers = { 'sforce-auto-assign': autoAssign };
        let response = await this.call({ method: 'PATCH', url: path, body: record, headers });
        if (salesforceErrorCode(response) === 'DUPLICATES_DETECTED' && this.settings.duplicateRule === 'allowSave') {
            response = await this.call({
                method: 'PATCH',
                url: path,
                body: record,
                headers: { ...headers, 'sforce-duplicate-rule-header': 'allowSave=true' },
            });
        }
        return response;
    }

    /** The converted person's new interest: an open Task on their Contact, for the Contact's owner (or the pipeline's). */
    private async toConvertedContact(
        lead: ExistingLead,
        request: DeliveryRequest,
        notes: string[],
    ): Promise<DeliveryResult> {
        const contactId = lead.ConvertedContactId ?? undefined;
        if (!contactId) {
            throw salesforceError(
                this.name,
                { status: 400, headers: new Headers(), text: '', json: [{ errorCode: 'CONVERTED_WITHOUT_CONTACT' }] },
                this.now(),
                this.settings.requestLimitRetryMs,
            );
        }
        const task: MappedRecord = { WhoId: contactId, Status: 'Not Started', Priority: priority(request) };
        if (lead.ConvertedAccountId) task.WhatId = lead.ConvertedAccountId;
        const ownerId = request.owner?.id ?? lead.OwnerId;
        if (ownerId) task.OwnerId = ownerId;
        notes.push('lead was converted: new interest as a task on its contact');
        notes.push(await this.logTask(request, task, true));
        const member = await this.joinCampaign(request, { ContactId: contactId });
        if (member) notes.push(member);
        return { action: 'updated', externalId: contactId, status: 201, note: notes.join('; ') };
    }

    /**
     * The lead as a Task, once per delivery: its Subject carries a marker from the idempotency key, and a record that
     * may already have it (a repeat, or the person's Contact) is queried for it first. SOQL reads the database, not
     * a search index, so a Task created a moment ago is found.
     */
    private async logTask(request: DeliveryRequest, task: MappedRecord, mayExist: boolean): Promise<string> {
        const marker = `lp-${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16)}`;
        if (mayExist) {
            const soql = `SELECT Id FROM Task WHERE WhoId = '${String(task.WhoId)}' AND Subject LIKE '%${marker}%' LIMIT 1`;
            const found = await this.call({ method: 'GET', url: `/query?q=${encodeURIComponent(soql)}` });
            if (found.status !== 200) {
                throw salesforceError(this.name, found, this.now(), this.settings.requestLimitRetryMs);
            }
            if (((found.json as { totalSize?: number }).totalSize ?? 0) > 0) return 'task already present';
        }
        const view = leadFields(request.lead, request.decision, request.owner);
        const subject = `Azure Marketplace: ${String(view.actionMeaning ?? view.action ?? 'lead')} – ${String(view.offer ?? '')}`;
        const body: MappedRecord = {
            ...task,
            Subject: `${cutText(subject, salesforceTaskLengths.Subject! - marker.length - 3)} [${marker}]`,
            Description: cutText(String(view.summary), salesforceTaskLengths.Description!),
            ActivityDate: request.lead.receivedAt.slice(0, 10),
        };
        const created = await this.call({ method: 'POST', url: '/sobjects/Task', body });
        if (created.status !== 201) {
            throw salesforceError(this.name, created, this.now(), this.settings.requestLimitRetryMs);
        }
        return 'task added';
    }

    /**
     * Adds the Lead (or Contact) to the lead's campaign when `campaigns` maps it. Already a member (`DUPLICATE_VALUE`)
     * is done; any other refusal is noted and logged but never fails the delivery: the Lead is written.
     */
    private async joinCampaign(
        request: DeliveryRequest,
        member: { LeadId: string } | { ContactId: string },
    ): Promise<string | undefined> {
        const campaign = campaignFor(request.lead, this.settings.campaigns);
        if (!campaign) return undefined;
        const response = await this.call({
            method: 'POST',
            url: '/sobjects/CampaignMember',
            body: { CampaignId: campaign.crmId, ...member },
        });
        const code = salesforceErrorCode(response);
        if (response.status === 201 || code === 'DUPLICATE_VALUE') return `campaign member of ${campaign.crmId}`;
        if (response.status === 403 || response.status >= 500 || code === 'REQUEST_LIMIT_EXCEEDED') {
            throw salesforceError(this.name, response, this.now(), this.settings.requestLimitRetryMs);
        }
        this.logger.warn('salesforce campaign member not added', {
            target: this.name,
            campaignId: campaign.crmId,
            status: response.status,
            code,
        });
        return `not added to campaign ${campaign.crmId} (${code ?? `HTTP ${response.status}`})`;
    }

    /** Calls the instance REST API; refreshes the session once on `INVALID_SESSION_ID`. Returns error responses. */
    private async call(request: HttpRequest): Promise<HttpResponse> {
        for (let attempt = 1; ; attempt++) {
            const token = await this.tokens.get();
            const response = await this.http.send({
                ...request,
                url: `${token.instanceUrl}/services/data/v${this.settings.apiVersion}${request.url}`,
                headers: { ...request.headers, authorization: `Bearer ${token.accessToken}` },
            });
            if (response.status === 401 && attempt === 1) {
                this.tokens.invalidate(token);
                continue;
            }
            return response;
        }
    }
}

/** Task `Priority` (High, Normal, Low): grade A is high. */
const priority = (request: DeliveryRequest) => (request.decision.score.grade === 'A' ? 'High' : 'Normal');

/** The owner still on the record (none once Salesforce refused it). */
const ownerIdOf = (record: MappedRecord): string | undefined =>
    typeof record.OwnerId === 'string' ? record.OwnerId : undefined;

/** The status a new Lead has before anyone works it (the standard Lead Status picklist's default). */
const UNTOUCHED_LEAD_STATUSES = new Set(['Open - Not Contacted']);
