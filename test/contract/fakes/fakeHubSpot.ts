import type { ServerResponse } from 'node:http';

import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from '../support/fakeServer';
import { handleHubSpotGdprDelete } from './fakeHubSpotGdprDelete';

/**
 * HubSpot CRM as strict as the real one. Where each rule comes from:
 *
 * - The OpenAPI specs HubSpot publishes (HubSpot/HubSpot-public-api-spec-collection, `PublicApiSpecs/CRM/Contacts/
 *   Rollouts/424/v3/contacts.json` and `…/Notes/Rollouts/424/v3/notes.json`): batch upsert needs `inputs`, each with
 *   `id` and `properties`; every property value is a string (`additionalProperties: { type: string }`); note create
 *   (`SimplePublicObjectInputForCreate`) needs `properties` and `associations`; batch read
 *   (`BatchReadInputSimplePublicObjectId`) needs `inputs`, `properties` and `propertiesWithHistory`; each operation's
 *   `security` names its scope (`crm.objects.contacts.write` to write contacts and notes, `…read` to read).
 * - Batch endpoints take at most 100 inputs (CRM API guides, "Batch operations": "limited to 100 records"); a v4
 *   association page at most 500 (Associations v4 guide), with an opaque `after` cursor and `paging.next.after` only
 *   while more remain.
 * - Notes guide: `hs_timestamp` is required; `hs_note_body` is "limited to 65,536 characters"; `hubspot_owner_id`
 *   names the note's owner. Text property values are limited to 65,536 characters too.
 * - Properties (default contact properties, and the properties API): a property the portal does not have, an option
 *   an enumeration does not have (`hs_lead_status`, `lifecyclestage` with their default options) or an owner id that
 *   is not an owner is a `400 VALIDATION_ERROR` ("Property values were not valid", with `PROPERTY_DOESNT_EXIST` /
 *   `INVALID_OPTION` / `INVALID_OWNER_ID` in `errors[]`). Email matches case-insensitively.
 * - Error bodies `{ status: 'error', category, message, correlationId, errors? }` (the spec's `Error` schema).
 */
export interface FakeHubSpot {
    server: FakeServer;
    contacts: Map<string, { id: string; properties: Record<string, string>; notes: string[] }>;
    notes: Map<string, { id: string; body: string; properties: Record<string, string>; contactIds: string[] }>;
    /** Custom contact properties the portal has (the default ones are always there). */
    customProperties: Set<string>;
    /** HubSpot owner ids (`/crm/v3/owners`). */
    owners: Set<string>;
    /** Scopes the private app's token was given. */
    scopes: Set<string>;
    /** When set, answers every API call with this instead of the normal behaviour. */
    override?: (req: RecordedRequest, res: ServerResponse) => boolean;
    /** Serves association pages smaller than the `limit` asked for, as HubSpot may. */
    associationPageSize?: number;
    /** Associates new notes with these bodies to the contact (a busy contact in a real portal); returns their ids. */
    addNotes(contactId: string, bodies: string[]): string[];
}

const maxAssociationLimit = 500;
const maxBatchInputs = 100;
const maxText = 65_536;
const defaultContactProperties = new Set([
    'email',
    'firstname',
    'lastname',
    'phone',
    'mobilephone',
    'company',
    'jobtitle',
    'country',
    'city',
    'website',
    'hubspot_owner_id',
    'hs_lead_status',
    'lifecyclestage',
]);
const enumerations: Record<string, string[]> = {
    hs_lead_status: [
        'NEW',
        'OPEN',
        'IN_PROGRESS',
        'OPEN_DEAL',
        'UNQUALIFIED',
        'ATTEMPTED_TO_CONTACT',
        'CONNECTED',
        'BAD_TIMING',
    ],
    lifecyclestage: [
        'subscriber',
        'lead',
        'marketingqualifiedlead',
        'salesqualifiedlead',
        'opportunity',
        'customer',
        'evangelist',
        'other',
    ],
};
const cursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
const offsetOf = (after: string | null) =>
    after ? Number(/^offset:(\d+)$/.exec(Buffer.from(after, 'base64url').toString('utf8'))?.[1] ?? NaN) : 0;

export async function startFakeHubSpot(token: string): Promise<FakeHubSpot> {
    let nextId = 1001;
    const state: Omit<FakeHubSpot, 'server'> & { server?: FakeServer } = {
        contacts: new Map(),
        notes: new Map(),
        customProperties: new Set(['marketplace_grade', 'marketplace_offer', 'marketplace_person_key']),
        owners: new Set(['81234567']),
        scopes: new Set(['crm.objects.contacts.read', 'crm.objects.contacts.write']),
        addNotes(contactId, bodies) {
            const contact = [...state.contacts.values()].find((c) => c.id === contactId);
            if (!contact) throw new Error(`fake HubSpot: no contact ${contactId}`);
            return bodies.map((body) => {
                const id = String(nextId++);
                state.notes.set(id, { id, body, properties: { hs_note_body: body }, contactIds: [contactId] });
                contact.notes.push(id);
                return id;
            });
        },
    };
    const error = (res: ServerResponse, status: number, category: string, message: string, errors?: unknown[]) =>
        sendJson(res, status, {
            status: 'error',
            message,
            correlationId: 'c-1',
            category,
            ...(errors ? { errors } : {}),
        });
    const invalid = (res: ServerResponse, code: string, name: string) =>
        error(res, 400, 'VALIDATION_ERROR', 'Property values were not valid', [
            { message: `Property "${name}" is not valid`, code, context: { propertyName: [name] } },
        ]);
    /** The first problem with a set of property values, answered; false when they are all valid. */
    const badProperties = (res: ServerResponse, properties: unknown, known: (name: string) => boolean): boolean => {
        if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
            error(res, 400, 'VALIDATION_ERROR', 'properties must be an object');
            return true;
        }
        for (const [name, value] of Object.entries(properties)) {
            if (typeof value !== 'string')
                return (error(res, 400, 'VALIDATION_ERROR', `Invalid input JSON: ${name} must be a string`), true);
            if (!known(name)) return (invalid(res, 'PROPERTY_DOESNT_EXIST', name), true);
            if (value.length > maxText) return (invalid(res, 'INVALID_STRING_LENGTH', name), true);
            if (enumerations[name] && !enumerations[name].includes(value))
                return (invalid(res, 'INVALID_OPTION', name), true);
            if (name === 'hubspot_owner_id' && !state.owners.has(value))
                return (invalid(res, 'INVALID_OWNER_ID', name), true);
        }
        return false;
    };
    const contactProperty = (name: string) => defaultContactProperties.has(name) || state.customProperties.has(name);
    const needs = (res: ServerResponse, scope: string) => {
        if (state.scopes.has(scope)) return false;
        error(res, 403, 'MISSING_SCOPES', `This app hasn't been granted all required scopes: ${scope}`);
        return true;
    };

    const server = await startFakeServer((req, res) => {
        if (state.override?.(req, res)) return;
        if (req.headers.authorization !== `Bearer ${token}`) {
            return error(res, 401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.');
        }
        const { method, pathname } = req;
        if (method === 'POST' && pathname === '/crm/v3/objects/contacts/batch/upsert') {
            if (needs(res, 'crm.objects.contacts.write')) return;
            const inputs = req.json?.inputs as { idProperty?: string; id?: string; properties?: unknown }[] | undefined;
            if (!Array.isArray(inputs)) return error(res, 400, 'VALIDATION_ERROR', 'inputs is required');
            if (inputs.length > maxBatchInputs)
                return error(res, 400, 'VALIDATION_ERROR', `at most ${maxBatchInputs} inputs`);
            for (const input of inputs) {
                if (typeof input.id !== 'string') return error(res, 400, 'VALIDATION_ERROR', 'id is required');
                if (badProperties(res, input.properties, contactProperty)) return;
            }
            const results = inputs.map((input) => {
                const idProperty = input.idProperty ?? 'hs_object_id';
                const key = `${idProperty}:${idProperty === 'email' ? input.id!.toLowerCase() : input.id}`;
                const properties = input.properties as Record<string, string>;
                const existing = state.contacts.get(key);
                if (existing) {
                    Object.assign(existing.properties, properties);
                    return { id: existing.id, new: false, properties: existing.properties };
                }
                const created = { id: String(nextId++), properties: { ...properties }, notes: [] as string[] };
                state.contacts.set(key, created);
                return { id: created.id, new: true, properties: created.properties };
            });
            const at = new Date().toISOString();
            return sendJson(res, 200, { status: 'COMPLETE', results, startedAt: at, completedAt: at });
        }
        const contactById = /^\/crm\/v3\/objects\/contacts\/(\d+)$/.exec(pathname);
        if (method === 'GET' && contactById) {
            // Read a contact (basic API `GET /crm/v3/objects/contacts/{contactId}`): `properties` names the ones
            // answered; a property with no value is answered as null.
            if (needs(res, 'crm.objects.contacts.read')) return;
            const contact = [...state.contacts.values()].find((c) => c.id === contactById[1]);
            if (!contact) return error(res, 404, 'OBJECT_NOT_FOUND', 'resource not found');
            const names = (req.query.get('properties') ?? '').split(',').filter((n) => n !== '');
            const properties = Object.fromEntries(names.map((n) => [n, contact.properties[n] ?? null]));
            return sendJson(res, 200, { id: contact.id, properties });
        }
        if (method === 'PATCH' && contactById) {
            if (needs(res, 'crm.objects.contacts.write')) return;
            const contact = [...state.contacts.values()].find((c) => c.id === contactById[1]);
            if (!contact) return error(res, 404, 'OBJECT_NOT_FOUND', 'resource not found');
            if (badProperties(res, req.json?.properties, contactProperty)) return;
            Object.assign(contact.properties, req.json.properties);
            return sendJson(res, 200, { id: contact.id, properties: contact.properties });
        }
        const assocMatch = /^\/crm\/v4\/objects\/contacts\/(\d+)\/associations\/notes$/.exec(pathname);
        if (method === 'GET' && assocMatch) {
            if (needs(res, 'crm.objects.contacts.read')) return;
            const contact = [...state.contacts.values()].find((c) => c.id === assocMatch[1]);
            if (!contact) return error(res, 404, 'OBJECT_NOT_FOUND', 'nf');
            const limit = Number(req.query.get('limit') ?? maxAssociationLimit);
            const offset = offsetOf(req.query.get('after'));
            if (!Number.isInteger(limit) || limit < 1 || limit > maxAssociationLimit || !Number.isInteger(offset)) {
                return error(res, 400, 'VALIDATION_ERROR', 'bad paging');
            }
            const size = Math.min(limit, state.associationPageSize ?? limit);
            const ids = contact.notes.slice(offset, offset + size);
            const body: Record<string, unknown> = {
                results: ids.map((id) => ({
                    toObjectId: Number(id),
                    associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 201, label: null }],
                })),
            };
            if (offset + size < contact.notes.length) {
                const after = cursor(offset + size);
                body.paging = { next: { after, link: `${state.server?.url}${pathname}?after=${after}` } };
            }
            return sendJson(res, 200, body);
        }
        if (method === 'GET' && pathname === '/crm/v3/objects/contacts') {
            if (needs(res, 'crm.objects.contacts.read')) return;
            return sendJson(res, 200, { results: [] });
        }
        if (method === 'POST' && pathname === '/crm/v3/objects/notes') {
            if (needs(res, 'crm.objects.contacts.write')) return;
            const { properties, associations } = (req.json ?? {}) as {
                properties?: Record<string, string>;
                associations?: unknown;
            };
            if (!Array.isArray(associations)) return error(res, 400, 'VALIDATION_ERROR', 'associations is required');
            const noteProperty = (n: string) =>
                ['hs_timestamp', 'hs_note_body', 'hubspot_owner_id', 'hs_attachment_ids'].includes(n);
            if (badProperties(res, properties, noteProperty)) return;
            if (!properties?.hs_timestamp) return invalid(res, 'REQUIRED_PROPERTY', 'hs_timestamp');
            const id = String(nextId++);
            const contactIds = (associations as { to: { id: string }; types: { associationTypeId: number }[] }[])
                .filter((a) => a.types.some((t) => t.associationTypeId === 202))
                .map((a) => a.to.id);
            state.notes.set(id, { id, body: properties.hs_note_body ?? '', properties: { ...properties }, contactIds });
            for (const contact of state.contacts.values()) if (contactIds.includes(contact.id)) contact.notes.push(id);
            return sendJson(res, 201, { id, properties });
        }
        if (method === 'POST' && pathname === '/crm/v3/objects/notes/batch/read') {
            if (needs(res, 'crm.objects.contacts.read')) return;
            const { inputs, properties, propertiesWithHistory } = (req.json ?? {}) as Record<string, unknown>;
            if (!Array.isArray(inputs) || !Array.isArray(properties) || !Array.isArray(propertiesWithHistory)) {
                return error(res, 400, 'VALIDATION_ERROR', 'inputs, properties and propertiesWithHistory are required');
            }
            if (inputs.length > maxBatchInputs) {
                return error(
                    res,
                    400,
                    'VALIDATION_ERROR',
                    `Batch input size ${inputs.length} exceeds the limit of ${maxBatchInputs}`,
                );
            }
            const results = (inputs as { id: string }[])
                .map((i) => state.notes.get(i.id))
                .filter((n) => n !== undefined)
                .map((n) => ({ id: n.id, properties: { hs_note_body: n.body } }));
            return sendJson(res, 200, { status: 'COMPLETE', results });
        }
        if (handleHubSpotGdprDelete(state as FakeHubSpot, req, res)) return;
        return error(res, 404, 'OBJECT_NOT_FOUND', 'no route');
    });
    state.server = server;
    return state as FakeHubSpot;
}
