import type { HttpResponse } from '../crmKit/httpCall';

/** The target's own call: 429 handling and error classification stay in one place. */
export type HubSpotCall = (method: 'GET' | 'POST', path: string, body?: object) => Promise<HttpResponse>;

/** HubSpot's documented maximum for one page of `GET /crm/v4/objects/{type}/{id}/associations/{toType}`. */
export const associationPageLimit = 500;
/** HubSpot's maximum `inputs` for one `POST /crm/v3/objects/{type}/batch/read`; a larger batch is rejected. */
export const noteBatchReadLimit = 100;
/**
 * 20 pages of 500 = 10,000 notes (and at most 120 calls). A contact past that is not a lead inbox any more; walking
 * further would spend the portal's shared rate budget on one delivery.
 */
export const maxAssociationPages = 20;

export interface MarkedNoteLookup {
    found: boolean;
    /** The bound was reached with pages still left: `found: false` then means "not among the notes read". */
    truncated: boolean;
    pages: number;
    notesRead: number;
}

/**
 * Looks for a note carrying `marker` among every note associated to the contact.
 *
 * Associations (v4, paged) plus batch reads by id, not the CRM search API: search is eventually consistent (records
 * reach its index with a delay), so a note the previous attempt created seconds ago may not be found yet and the
 * retry would add a duplicate. The association list and reads by id do not go through that index.
 */
export async function findMarkedNote(
    call: HubSpotCall,
    contactId: string,
    marker: string,
    maxPages = maxAssociationPages,
): Promise<MarkedNoteLookup> {
    const base = `/crm/v4/objects/contacts/${encodeURIComponent(contactId)}/associations/notes`;
    let after: string | undefined;
    let notesRead = 0;
    for (let pages = 1; pages <= maxPages; pages++) {
        const query = `?limit=${associationPageLimit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
        const page = (await call('GET', base + query)).json as {
            results?: { toObjectId?: string | number }[];
            paging?: { next?: { after?: string } };
        };
        const ids = (page.results ?? []).flatMap((r) => (r.toObjectId === undefined ? [] : [String(r.toObjectId)]));
        for (let i = 0; i < ids.length; i += noteBatchReadLimit) {
            const chunk = ids.slice(i, i + noteBatchReadLimit);
            notesRead += chunk.length;
            if (await chunkHasMarker(call, chunk, marker)) return { found: true, truncated: false, pages, notesRead };
        }
        after = page.paging?.next?.after;
        if (!after) return { found: false, truncated: false, pages, notesRead };
    }
    return { found: false, truncated: true, pages: maxPages, notesRead };
}

async function chunkHasMarker(call: HubSpotCall, ids: string[], marker: string): Promise<boolean> {
    const read = await call('POST', '/crm/v3/objects/notes/batch/read', {
        properties: ['hs_note_body'],
        // Required by the batch read schema (`BatchReadInputSimplePublicObjectId`), even when empty.
        propertiesWithHistory: [],
        inputs: ids.map((id) => ({ id })),
    });
    const notes = (read.json as { results?: { properties?: { hs_note_body?: string | null } }[] }).results ?? [];
    return notes.some((n) => n.properties?.hs_note_body?.includes(marker) === true);
}
