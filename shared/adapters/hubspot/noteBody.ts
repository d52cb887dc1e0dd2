import type { LeadDecision } from '../../domain/index';
import type { LeadFields } from '../crmKit/leadFields';

const escape = (text: string) =>
    text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The HTML note: the marketplace facts HubSpot has no default property for, and the idempotency marker. */
export function noteBody(view: LeadFields, decision: LeadDecision, marker: string): string {
    const rows: [string, unknown][] = [
        ['Offer', view.offer],
        ['Action', view.action],
        ['Source', view.source],
        ['Campaign', view.campaign],
        ['Score', view.score],
        ['Grade', view.grade],
        ['Qualification', decision.qualification.outcome],
    ];
    const lines = rows
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => `<b>${k}:</b> ${escape(String(v))}`);
    const notes = typeof view.notes === 'string' && view.notes !== '' ? `<p>${escape(view.notes)}</p>` : '';
    return `<p>Azure Marketplace lead</p><p>${lines.join('<br>')}</p>${notes}<p>Ref: ${marker}</p>`;
}
