import { createHash } from 'node:crypto';

import { PermanentError } from '../../domain/index';
import type { DeliveryRequest, DeliveryResult } from '../../ports/DeliveryTarget';
import { type QualityMapping, qualityValue } from '../crmKit/crmOptions';
import { type CrmSettings, CrmTarget } from '../crmKit/CrmTarget';
import type { MappedRecord } from '../crmKit/fieldMapping';
import { fitToLength } from '../crmKit/fitToLength';
import type { HttpResponse } from '../crmKit/httpCall';
import { leadFields } from '../crmKit/leadFields';
import { findMarkedNote } from './findMarkedNote';
import { hubspotProfile, hubspotTextLimit, noteToContactAssociationTypeId } from './hubspotDefaults';
import { hubspotError } from './hubspotErrors';
import { noteBody } from './noteBody';

export interface HubSpotSettings extends CrmSettings {
    baseUrl: string;
    token: string;
    /** `email` (default) or a unique-value custom property that receives the person key. */
    idProperty: string;
    createNote: boolean;
    /** Properties written only on a contact the upsert created (the lead status: the sales team's afterwards). */
    createProperties: Readonly<Record<string, string>>;
    /** Grade → a property of a new contact (the lifecycle stage by default). */
    quality?: QualityMapping;
}

/**
 * HubSpot CRM v3 with a private-app token: contacts are upserted by `idProperty` through the batch upsert endpoint
 * (one person → one contact), a new contact gets its status and lifecycle stage, and the lead's summary is added once
 * as a note associated to the contact. The owner from the pipeline goes to `hubspot_owner_id` of both.
 */
export class HubSpotTarget extends CrmTarget<HubSpotSettings> {
    readonly type = 'hubspot' as const;
    protected readonly profile = hubspotProfile;

    protected async upsert(mapped: MappedRecord, request: DeliveryRequest): Promise<DeliveryResult> {
        const { lead, owner } = request;
        const idProperty = this.settings.idProperty;
        const id = idProperty === 'email' ? lead.contact.email : (lead.personKey ?? lead.leadKey);
        if (!id) throw new PermanentError(`${this.name}: lead has no email to upsert by`, { code: 'missing-email' });
        const record: MappedRecord = { ...mapped, [idProperty]: id };
        if (owner?.id) record.hubspot_owner_id = owner.id;
        const fitted = fitToLength(record, lengthsOf(record), { dropWhenLong: new Set([idProperty]) });
        const notes: string[] = [];
        if (fitted.changed.length > 0) notes.push(`cut to property length: ${fitted.changed.join(', ')}`);

        const send = (properties: MappedRecord) =>
            this.call('POST', '/crm/v3/objects/contacts/batch/upsert', {
                inputs: [{ idProperty, id, properties: asStrings(properties) }],
            });
        let upsert: HttpResponse;
        let ownerId = owner?.id;
        try {
            upsert = await send(fitted.record);
        } catch (err) {
            // An owner id the portal does not know (a person who left) must not lose the lead: write it without one.
            if (!(err instanceof PermanentError) || err.details.status !== 400 || !owner?.id) throw err;
            const { hubspot_owner_id: _ignored, ...withoutOwner } = fitted.record;
            upsert = await send(withoutOwner);
            ownerId = undefined;
            notes.push('owner id not accepted by HubSpot: written without owner');
        }
        const body = upsert.json as { results?: { id?: string; new?: boolean }[]; errors?: { category?: string }[] };
        const contact = body.results?.[0];
        if (upsert.status === 207 || !contact?.id) {
            const code = body.errors?.[0]?.category ?? 'NO_RESULT';
            throw new PermanentError(`${this.name}: contact upsert rejected (${code})`, {
                status: upsert.status,
                code,
            });
        }
        if (contact.new) notes.push(await this.setNewContactProperties(contact.id, request));
        notes.push(
            this.settings.createNote
                ? await this.addNoteOnce(contact.id, !contact.new, request, ownerId)
                : 'contact upserted',
        );
        return {
            action: contact.new ? 'created' : 'updated',
            externalId: contact.id,
            status: upsert.status,
            note: notes.join('; '),
        };
    }

    protected async probe(): Promise<undefined> {
        await this.call('GET', '/crm/v3/objects/contacts?limit=1&archived=false');
        return undefined;
    }

    /**
     * The contact's `hs_lead_status` (CRM properties "Default contact properties": NEW, OPEN, IN_PROGRESS, …): a
     * contact this lead created starts with the value `createProperties` gives it (NEW by default); any other value
     * means sales has worked it. Without a starting value configured there is nothing to compare: undefined. One GET
     * of the contact the delivery stored, by its id (`GET /crm/v3/objects/contacts/{id}?properties=`).
     */
    async leadStatus(
        _request: DeliveryRequest,
        recordId?: string,
    ): Promise<{ status: string; worked: boolean } | undefined> {
        const untouched = this.settings.createProperties.hs_lead_status;
        if (untouched === undefined || recordId === undefined || !/^\d+$/u.test(recordId)) return undefined;
        let response: HttpResponse;
        try {
            response = await this.call('GET', `/crm/v3/objects/contacts/${recordId}?properties=hs_lead_status`);
        } catch (err) {
            if (err instanceof PermanentError && err.details.status === 404) return undefined;
            throw err;
        }
        const status = (response.json as { properties?: { hs_lead_status?: unknown } }).properties?.hs_lead_status;
        if (typeof status !== 'string') return { status: '', worked: false };
        return { status, worked: status !== '' && status !== untouched };
    }

    /**
     * The status and stage a new contact starts with. A portal whose options differ refuses them (400): the contact
     * and the note still count, and the delivery's note says what was not set.
     */
    private async setNewContactProperties(contactId: string, request: DeliveryRequest): Promise<string> {
        const properties: Record<string, string> = { ...this.settings.createProperties };
        const stage = qualityValue(this.settings.quality, request.decision.score.grade);
        if (stage !== undefined && this.settings.quality) properties[this.settings.quality.field] = String(stage);
        if (Object.keys(properties).length === 0) return 'new contact';
        try {
            await this.call('PATCH', `/crm/v3/objects/contacts/${encodeURIComponent(contactId)}`, { properties });
            return `new contact: ${Object.keys(properties).join(', ')} set`;
        } catch (err) {
            if (!(err instanceof PermanentError) || err.details.status !== 400) throw err;
            this.logger.warn('hubspot new-contact properties refused', {
                target: this.name,
                contactId,
                code: err.details.code,
            });
            return `new contact: ${Object.keys(properties).join(', ')} refused (${err.details.code ?? 'HTTP 400'})`;
        }
    }

    /**
     * Adds the note unless an earlier attempt already did (its body carries a marker derived from the key). When the
     * contact has more notes than the lookup reads, the note is added anyway: a duplicate note is visible and harmless,
     * a lost one is not.
     */
    private async addNoteOnce(
        contactId: string,
        mayExist: boolean,
        request: DeliveryRequest,
        ownerId: string | undefined,
    ): Promise<string> {
        const marker = `lp-${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16)}`;
        let added = 'contact upserted; note added';
        if (mayExist) {
            const lookup = await findMarkedNote((m, p, b) => this.call(m, p, b), contactId, marker);
            if (lookup.found) return 'contact upserted; note already present';
            if (lookup.truncated) {
                this.logger.warn('hubspot note lookup stopped at its bound; adding the note', {
                    target: this.name,
                    contactId,
                    pages: lookup.pages,
                    notesRead: lookup.notesRead,
                });
                added = `contact upserted; note added (duplicate check stopped after ${lookup.notesRead} notes)`;
            }
        }
        const properties: Record<string, string> = {
            hs_timestamp: request.lead.receivedAt,
            hs_note_body: noteBody(leadFields(request.lead, request.decision, request.owner), request.decision, marker),
        };
        if (ownerId) properties.hubspot_owner_id = ownerId;
        await this.call('POST', '/crm/v3/objects/notes', {
            properties,
            associations: [
                {
                    to: { id: contactId },
                    types: [
                        { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: noteToContactAssociationTypeId },
                    ],
                },
            ],
        });
        return added;
    }

    private async call(method: 'GET' | 'POST' | 'PATCH', path: string, body?: object): Promise<HttpResponse> {
        const response = await this.http.send({
            method,
            url: `${this.settings.baseUrl}${path}`,
            headers: { authorization: `Bearer ${this.settings.token}` },
            body,
        });
        if (response.status >= 200 && response.status < 300) return response;
        const error = hubspotError(this.name, response, this.now());
        if (response.status === 429 && 'retryAfterMs' in error.details && error.details.retryAfterMs) {
            await this.http.pause(error.details.retryAfterMs);
        }
        throw error;
    }
}

/** Every property value is a string in the API (`SimplePublicObjectBatchInputUpsert.properties`, OpenAPI spec). */
function asStrings(record: MappedRecord): Record<string, string> {
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
}

const lengthsOf = (record: MappedRecord) => Object.fromEntries(Object.keys(record).map((k) => [k, hubspotTextLimit]));
