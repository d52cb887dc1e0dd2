import type { LeadDecision } from '../../domain/index';
import { cutText } from '../crmKit/fitToLength';
import type { LeadFields } from '../crmKit/leadFields';
import { hubspotTextLimit } from './hubspotDefaults';

const escape = (text: string) =>
    text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** A fact (offer title, source…) is short; one cut here leaves the note's room to the customer's message. */
const factLimit = 1_000;

/** Shown where the customer's message had to be cut to fit the note. */
const cutNotice = '… (cut to fit HubSpot’s note limit)';

/**
 * The HTML note: the marketplace facts HubSpot has no default property for, and the idempotency marker. HubSpot
 * counts the limit on the stored (escaped) text: a message of 32,000 `<` is 128,000 characters once escaped, so the
 * message is cut after escaping, never inside an entity, and the marker always fits.
 */
export function noteBody(view: LeadFields, decision: LeadDecision, marker: string, limit = hubspotTextLimit): string {
    const rows: [string, unknown][] = [
        ['Offer', view.offer],
        ['Action', view.action],
        ['Source', view.source],
        ['Campaign', view.campaign],
        ['Score', view.score],
        ['Grade', view.grade],
        ['Qualification', decision.qualification.outcome],
        ['Owner', view.ownerName],
    ];
    const lines = rows
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => `<b>${k}:</b> ${escape(cutText(String(v), factLimit))}`);
    const head = `<p>Azure Marketplace lead</p><p>${lines.join('<br>')}</p>`;
    const tail = `<p>Ref: ${marker}</p>`;
    const notes = typeof view.notes === 'string' && view.notes !== '' ? escape(view.notes) : '';
    if (notes === '') return head + tail;
    const room = limit - head.length - tail.length - '<p></p>'.length;
    if (notes.length <= room) return `${head}<p>${notes}</p>${tail}`;
    const cut = notes.slice(0, Math.max(0, room - cutNotice.length)).replace(/&[#a-z0-9]*$/u, '');
    return `${head}<p>${cut}${cutNotice}</p>${tail}`;
}
