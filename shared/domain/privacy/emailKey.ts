/**
 * One-way keys of an email address. The pipeline never puts an address into a storage query, an orchestration
 * history or a log: it looks people up by these keys instead.
 */
import { createHash, createHmac } from 'node:crypto';

import type { Lead } from '../Lead';
import { normaliseEmail } from '../text';

/**
 * Lookup key of a normalised email (`ek-` + 40 hex), stored on each lead row so an erasure or an export finds a
 * person's leads without reading them all. It sits beside the address it is made of and goes when the lead goes.
 */
export function emailKeyOf(email: string): string {
    const normalised = normaliseEmail(email);
    return `ek-${createHash('sha256').update(`ek1\u001e${normalised}`, 'utf8').digest('hex').slice(0, 40)}`;
}

/** The lead's email key, undefined when it carries no address. */
export function emailKeyOfLead(lead: Pick<Lead, 'contact'>): string | undefined {
    const email = lead.contact.emailNormalised ?? lead.contact.email;
    return email === undefined || email.trim() === '' ? undefined : emailKeyOf(email);
}

/**
 * Keyed hash of a normalised email (`eh-` + 40 hex) kept in a tombstone after erasure. Unlike the lookup key it
 * cannot be matched against a list of addresses without `key`, which never leaves the pipeline's storage.
 */
export function emailHashOf(email: string, key: Uint8Array): string {
    const normalised = normaliseEmail(email);
    return `eh-${createHmac('sha256', key).update(`eh1\u001e${normalised}`, 'utf8').digest('hex').slice(0, 40)}`;
}

/** Characters that cannot be part of an address as it appears in text, JSON, XML or a query string. */
const SEPARATORS = new Set([...' \t\r\n\f\v"\'<>()[]{},;:\\/|=&?`'.split(''), '\u00a0']);

/**
 * Lookup keys of every address-like token (`x@y`) in `text`, at most `max` of them. One pass over the text, no
 * backtracking: an invalid payload is whatever a caller sent, up to the body limit.
 */
export function emailKeysIn(text: string, max = 10_000): Set<string> {
    const keys = new Set<string>();
    let start = 0;
    const flush = (end: number) => {
        let from = start;
        let to = end;
        while (from < to && text[from] === '.') from++;
        while (to > from && text[to - 1] === '.') to--;
        // An address is at most 254 characters (RFC 5321 path limit); a longer token is something else.
        if (to - from < 3 || to - from > 254 || keys.size >= max) return;
        const token = text.slice(from, to);
        const at = token.indexOf('@');
        if (at > 0 && at < token.length - 1) keys.add(emailKeyOf(token));
    };
    for (let i = 0; i < text.length; i++) {
        if (SEPARATORS.has(text[i]!)) {
            flush(i);
            start = i + 1;
        }
    }
    flush(text.length);
    return keys;
}
