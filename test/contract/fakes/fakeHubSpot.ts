import type { ServerResponse } from 'node:http';

import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from '../support/fakeServer';

/**
 * HubSpot CRM as documented: bearer private-app token; contacts batch upsert by a unique property (email
 * case-insensitive) answering `results[].new`; notes with associations (type 202 note→contact); a contact's note
 * associations listed by the v4 API in pages (`limit` up to 500, opaque `after` cursor, `paging.next.after` only while
 * more remain); notes batch read of at most 100 inputs (more is a 400); error bodies `{status:'error', category,
 * message}`.
 */
export interface FakeHubSpot {
    server: FakeServer;
    contacts: Map<string, { id: string; properties: Record<string, string>; notes: string[] }>;
    notes: Map<string, { id: string; body: string; contactIds: string[] }>;
    /** When set, answers every API call with this instead of the normal behaviour. */
    override?: (req: RecordedRequest, res: ServerResponse) => boolean;
    /** Serves association pages smaller than the `limit` asked for, as HubSpot may. */
    associationPageSize?: number;
    /** Associates new notes with these bodies to the contact (a busy contact in a real portal); returns their ids. */
    addNotes(contactId: string, bodies: string[]): string[];
}

const maxAssociationLimit = 500;
const maxBatchInputs = 100;
const cursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
const offsetOf = (after: string | null) =>
    after ? Number(/^offset:(\d+)$/.exec(Buffer.from(after, 'base64url').toString('utf8'))?.[1] ?? NaN) : 0;

export async function startFakeHubSpot(token: string): Promise<FakeHubSpot> {
    let nextId = 1001;
    const state: Omit<FakeHubSpot, 'server'> & { server?: FakeServer } = {
        contacts: new Map(),
        notes: new Map(),
        addNotes(contactId, bodies) {
            const contact = [...state.contacts.values()].find((c) => c.id === contactId);
            if (!contact) throw new Error(`fake HubSpot: no contact ${contactId}`);
            return bodies.map((body) => {
                const id = String(nextId++);
                state.notes.set(id, { id, body, contactIds: [contactId] });
                contact.notes.push(id);
                return id;
            });
        },
    };
    const server = await startFakeServer((req, res) => {
        if (state.override?.(req, res)) return;
        if (req.headers.authorization !== `Bearer ${token}`) {
            return sendJson(res, 401, {
                status: 'error',
                message: 'Authentication credentials not found.',
                category: 'INVALID_AUTHENTICATION',
                correlationId: 'c-1',
            });
        }
        const { method, pathname } = req;
        if (method === 'POST' && pathname === '/crm/v3/objects/contacts/batch/upsert') {
            const results = (
                req.json.inputs as { idProperty: string; id: string; properties: Record<string, string> }[]
            ).map((input) => {
                const key = `${input.idProperty}:${input.idProperty === 'email' ? input.id.toLowerCase() : input.id}`;
                const existing = state.contacts.get(key);
                if (existing) {
                    Object.assign(existing.properties, input.properties);
                    return { id: existing.id, new: false, properties: existing.properties };
                }
                const created = { id: String(nextId++), properties: { ...input.properties }, notes: [] as string[] };
                state.contacts.set(key, created);
                return { id: created.id, new: true, properties: created.properties };
            });
            return sendJson(res, 200, { status: 'COMPLETE', results, startedAt: 'x', completedAt: 'y' });
        }
        const assocMatch = /^\/crm\/v4\/objects\/contacts\/(\d+)\/associations\/notes$/.exec(pathname);
        if (method === 'GET' && assocMatch) {
            const contact = [...state.contacts.values()].find((c) => c.id === assocMatch[1]);
            if (!contact) return sendJson(res, 404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'nf' });
            const limit = Number(req.query.get('limit') ?? maxAssociationLimit);
            const offset = offsetOf(req.query.get('after'));
            if (!Number.isInteger(limit) || limit < 1 || limit > maxAssociationLimit || !Number.isInteger(offset)) {
                return sendJson(res, 400, { status: 'error', category: 'VALIDATION_ERROR', message: 'bad paging' });
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
            return sendJson(res, 200, { results: [] });
        }
        if (method === 'POST' && pathname === '/crm/v3/objects/notes') {
            const id = String(nextId++);
            const contactIds = (
                req.json.associations as { to: { id: string }; types: { associationTypeId: number }[] }[]
            )
                .filter((a) => a.types.some((t) => t.associationTypeId === 202))
                .map((a) => a.to.id);
            state.notes.set(id, { id, body: req.json.properties.hs_note_body, contactIds });
            for (const contact of state.contacts.values()) if (contactIds.includes(contact.id)) contact.notes.push(id);
            return sendJson(res, 201, { id, properties: req.json.properties });
        }
        if (method === 'POST' && pathname === '/crm/v3/objects/notes/batch/read') {
            const inputs = req.json.inputs as { id: string }[];
            if (inputs.length > maxBatchInputs) {
                return sendJson(res, 400, {
                    status: 'error',
                    category: 'VALIDATION_ERROR',
                    message: `Batch input size ${inputs.length} exceeds the limit of ${maxBatchInputs}`,
                });
            }
            const results = inputs
                .map((i) => state.notes.get(i.id))
                .filter((n) => n !== undefined)
                .map((n) => ({ id: n.id, properties: { hs_note_body: n.body } }));
            return sendJson(res, 200, { status: 'COMPLETE', results });
        }
        return sendJson(res, 404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'no route' });
    });
    state.server = server;
    return state as FakeHubSpot;
}
