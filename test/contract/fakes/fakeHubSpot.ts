import type { ServerResponse } from 'node:http';

import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from '../support/fakeServer';

/**
 * HubSpot CRM v3 as documented: bearer private-app token; contacts batch upsert by a unique property (email
 * case-insensitive) answering `results[].new`; notes with associations (type 202 note→contact); contact read with
 * `?associations=notes`; notes batch read; error bodies `{status:'error', category, message}`.
 */
export interface FakeHubSpot {
    server: FakeServer;
    contacts: Map<string, { id: string; properties: Record<string, string>; notes: string[] }>;
    notes: Map<string, { id: string; body: string; contactIds: string[] }>;
    /** When set, answers every API call with this instead of the normal behaviour. */
    override?: (req: RecordedRequest, res: ServerResponse) => boolean;
}

export async function startFakeHubSpot(token: string): Promise<FakeHubSpot> {
    const state: Omit<FakeHubSpot, 'server'> & { server?: FakeServer } = { contacts: new Map(), notes: new Map() };
    let nextId = 1001;
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
        const contactMatch = /^\/crm\/v3\/objects\/contacts\/(\d+)$/.exec(pathname);
        if (method === 'GET' && contactMatch) {
            const contact = [...state.contacts.values()].find((c) => c.id === contactMatch[1]);
            if (!contact) return sendJson(res, 404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'nf' });
            const body: Record<string, unknown> = { id: contact.id, properties: contact.properties };
            if (req.query.get('associations') === 'notes' && contact.notes.length > 0) {
                body.associations = {
                    notes: { results: contact.notes.map((id) => ({ id, type: 'contact_to_note' })) },
                };
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
            const results = (req.json.inputs as { id: string }[])
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
