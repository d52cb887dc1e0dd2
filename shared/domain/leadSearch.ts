/**
 * What the lead list is searched and filtered by. A search is never sent or stored in clear where a log could keep
 * it: an email becomes a one-way key (the index holds the same key, so the storage query carries only a digest),
 * and a company name is folded for matching and compared by the app, never put into a storage query.
 */
import { foldForLexicon } from './phraseLexicon';
import { emailKeyOf } from './privacy/emailKey';

/** Case-, width- and diacritics-insensitive form for "contains" matching (`Ředitelství` ~ `reditelstvi`). */
export function foldForSearch(text: string): string {
    return foldForLexicon(text).replace(/\s+/gu, ' ').trim();
}

export type LeadSearch = { emailKey: string } | { companyText: string };

/** Longest search accepted, in characters. */
export const MAX_SEARCH_CHARS = 200;

/**
 * What a search box's text asks for: something with an `@` is an email (matched exactly, by its key); anything else
 * is part of a company name. Undefined when there is nothing to search for.
 */
export function parseLeadSearch(text: string | undefined): LeadSearch | undefined {
    if (text === undefined) return undefined;
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    if (trimmed.includes('@')) return { emailKey: emailKeyOf(trimmed) };
    const companyText = foldForSearch(trimmed);
    return companyText === '' ? undefined : { companyText };
}
