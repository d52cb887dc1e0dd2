import { createHash } from 'node:crypto';

import { PermanentError } from '../../domain/index';
import type { DeliveryRequest, DeliveryResult } from '../../ports/DeliveryTarget';
import { type CrmSettings, CrmTarget } from '../crmKit/CrmTarget';
import type { MappedRecord } from '../crmKit/fieldMapping';
import type { HttpResponse } from '../crmKit/httpCall';
import { leadFields } from '../crmKit/leadFields';
import { findMarkedNote } from './findMarkedNote';
import { hubspotProfile, noteToContactAssociationTypeId } from './hubspotDefaults';
import { hubspotError } from './hubspotErrors';
import { noteBody } from './noteBody';

export interface HubSpotSettings extends CrmSettings {
    baseUrl: string;
    token: string;
    /** `email` (default) or a unique-value custom property that receives the person key. */
    idProperty: string;
    createNote: boolean;
}

/**
 * HubSpot CRM v3 with a private-app token: contacts are upserted by `idProperty` through the batch upsert endpoint
 * (one person → one contact), and the lead's summary is added once as a note associated to the contact.
 */
export class HubSpotTarget extends CrmTarget<HubSpotSettings> {
    readonly type = 'hubspot' as const;
    protected readonly profile = hubspotProfile;

    protected async upsert(properties: MappedRecord, request: DeliveryRequest): Promise<DeliveryResult> {
        const { lead } = request;
        const idProperty = this.settings.idProperty;
        const id = idProperty === 'email' ? lead.contact.email : (lead.personKey ?? lead.leadKey);
        if (!id) throw new PermanentError(`${this.name}: lead has no email to upsert by`, { code: 'missing-email' });
        properties[idProperty] = id;

        const upsert = await this.call('POST', '/crm/v3/objects/contacts/batch/upsert', {
            inputs: [{ idProperty, id, properties }],
        });
        const body = upsert.json as { results?: { id?: string; new?: boolean }[]; errors?: { category?: string }[] };
        const contact = body.results?.[0];
        if (upsert.status === 207 || !contact?.id) {
            const code = body.errors?.[0]?.category ?? 'NO_RESULT';
            throw new PermanentError(`${this.name}: contact upsert rejected (${code})`, {
                status: upsert.status,
                code,
            });
        }
        const action = contact.new ? 'created' : 'updated';
        let note = 'contact upserted';
        if (this.settings.createNote) {
            note = await this.addNoteOnce(contact.id, !contact.new, request);
        }
        return { action, externalId: contact.id, status: upsert.status, note };
    }

    protected async probe(): Promise<undefined> {
        await this.call('GET', '/crm/v3/objects/contacts?limit=1&archived=false');
        return undefined;
    }

    /**
     * Adds the note unless an earlier attempt already did (its body carries a marker derived from the key). When the
     * contact has more notes than the lookup reads, the note is added anyway: a duplicate note is visible and harmless,
     * a lost one is not.
     */
    private async addNoteOnce(contactId: string, mayExist: boolean, request: DeliveryRequest): Promise<string> {
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
        await this.call('POST', '/crm/v3/objects/notes', {
            properties: {
                hs_timestamp: request.lead.receivedAt,
                hs_note_body: noteBody(leadFields(request.lead, request.decision), request.decision, marker),
            },
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

    private async call(method: 'GET' | 'POST', path: string, body?: object): Promise<HttpResponse> {
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
