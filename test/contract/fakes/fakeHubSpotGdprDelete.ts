import type { ServerResponse } from 'node:http';

import { type RecordedRequest, sendJson } from '../support/fakeServer';
import type { FakeHubSpot } from './fakeHubSpot';

/** Addresses HubSpot put on its blocklist by a GDPR delete by email that matched no contact. */
const blocklists = new WeakMap<FakeHubSpot, Set<string>>();
export const hubspotBlocklist = (hubspot: FakeHubSpot): Set<string> => {
    let list = blocklists.get(hubspot);
    if (list === undefined) blocklists.set(hubspot, (list = new Set()));
    return list;
};

/**
 * `POST /crm/v3/objects/contacts/gdpr-delete` as documented (developers.hubspot.com, "Permanently delete a contact
 * (GDPR-compliant)"): body `{ objectId, idProperty? }`, `objectId` required; 204 with no body. The contact is
 * deleted for good with the activity associated only with it: a note also associated with another record stays
 * with that record (knowledge.hubspot.com, "Understand restorable and permanent contact deletions"). By `email`, an
 * address that matches no contact is put on the blocklist; by id, an unknown contact is 404 `OBJECT_NOT_FOUND`
 * (the v3 objects' answer for an id that does not exist). The blocklist stops imports and the UI, not the API, so a
 * later upsert of the address creates a new contact.
 */
export function handleHubSpotGdprDelete(state: FakeHubSpot, req: RecordedRequest, res: ServerResponse): boolean {
    if (req.method !== 'POST' || req.pathname !== '/crm/v3/objects/contacts/gdpr-delete') return false;
    const { objectId, idProperty } = (req.json ?? {}) as { objectId?: unknown; idProperty?: unknown };
    if (typeof objectId !== 'string' || objectId === '') {
        sendJson(res, 400, { status: 'error', category: 'VALIDATION_ERROR', message: 'objectId is required' });
        return true;
    }
    const byEmail = idProperty === 'email';
    const entry = [...state.contacts.entries()].find(([key, c]) =>
        byEmail ? key === `email:${objectId.toLowerCase()}` : c.id === objectId,
    );
    if (entry === undefined) {
        if (byEmail) {
            hubspotBlocklist(state).add(objectId.toLowerCase());
            res.writeHead(204);
            res.end();
        } else sendJson(res, 404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Object not found' });
        return true;
    }
    const [key, contact] = entry;
    state.contacts.delete(key);
    for (const noteId of contact.notes) {
        const note = state.notes.get(noteId);
        if (note === undefined) continue;
        note.contactIds = note.contactIds.filter((id) => id !== contact.id);
        if (note.contactIds.length === 0) state.notes.delete(noteId);
    }
    res.writeHead(204);
    res.end();
    return true;
}
