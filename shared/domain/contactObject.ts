/**
 * The contact part of a payload: an object (`UserDetails`) or a JSON string of one (`CustomerInfo`). Anything else
 * is recorded as a problem and parsing carries on with an empty contact.
 */
import { type ContactField, contactFields } from './buildLead';
import { isPlainObject, keyView, unknownKeysOf } from './caseInsensitive';
import type { LeadFieldProblem } from './Lead';

const known = new Set(contactFields.map((f) => f.toLowerCase()));

export interface ContactRead {
    contact: Partial<Record<ContactField, unknown>>;
    unknownKeys: string[];
}

export function readContact(value: unknown, field: string, problems: LeadFieldProblem[]): ContactRead {
    let obj: unknown = value;
    if (typeof value === 'string') {
        if (value.trim() === '') return { contact: {}, unknownKeys: [] };
        try {
            obj = JSON.parse(value.replace(/^\uFEFF/u, ''));
        } catch {
            problems.push({ field, problem: 'not valid JSON' });
            return { contact: {}, unknownKeys: [] };
        }
    }
    if (obj === undefined || obj === null) return { contact: {}, unknownKeys: [] };
    if (!isPlainObject(obj)) {
        problems.push({ field, problem: `expected an object, got ${Array.isArray(obj) ? 'array' : typeof obj}` });
        return { contact: {}, unknownKeys: [] };
    }
    const view = keyView(obj);
    const contact: Partial<Record<ContactField, unknown>> = {};
    for (const f of contactFields) contact[f] = view.get(f.toLowerCase());
    return { contact, unknownKeys: unknownKeysOf(obj, known, `${field}.`) };
}
