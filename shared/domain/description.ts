/**
 * `Description` is free-text notes, `Campaigns: …`, a lone space, a test marker, or the listing URL's query
 * parameters as a JSON object (`{"mktcmpid":"1234","utm_source":"x"}`) or as a query string.
 */
import { isPlainObject } from './caseInsensitive';
import type { LeadCampaign } from './Lead';

/** Marketplace campaign ids: up to 16 letters, digits, `_` and `-`. */
const mktcmpidPattern = /^[A-Za-z0-9_-]{1,16}$/u;
const queryString = /^\??[A-Za-z0-9_.-]+=[^&\s]*(?:&[A-Za-z0-9_.-]+=[^&\s]*)*$/u;
const campaignsText = /^\s*campaigns?\s*:\s*(.*)$/isu;
const MAX_PARAMS = 50;
const MAX_PARAM_CHARS = 1000;

export interface ParsedDescription {
    notes?: string;
    campaign?: LeadCampaign;
}

/** Own data property even for `__proto__`: assignment would change the object's prototype instead. */
function setParam(params: Record<string, string>, key: string, value: string): void {
    Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true });
}

function toCampaign(entries: Iterable<[string, unknown]>): LeadCampaign | undefined {
    const params: Record<string, string> = {};
    let count = 0;
    for (const [key, value] of entries) {
        if (count >= MAX_PARAMS) break;
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
        setParam(params, key.slice(0, 100), String(value).slice(0, MAX_PARAM_CHARS));
        count++;
    }
    if (count === 0) return undefined;
    const byLower = new Map<string, string>();
    for (const key of Object.keys(params)) {
        const lower = key.toLowerCase();
        const value = params[key];
        if (!byLower.has(lower) && value !== undefined) byLower.set(lower, value);
    }
    const campaign: LeadCampaign = { params };
    const mktcmpid = byLower.get('mktcmpid')?.trim();
    if (mktcmpid !== undefined && mktcmpidPattern.test(mktcmpid)) campaign.mktcmpid = mktcmpid;
    const utm = [
        ['utm_source', 'utmSource'],
        ['utm_medium', 'utmMedium'],
        ['utm_campaign', 'utmCampaign'],
        ['utm_term', 'utmTerm'],
        ['utm_content', 'utmContent'],
    ] as const;
    for (const [param, field] of utm) {
        const v = byLower.get(param)?.trim();
        if (v !== undefined && v !== '') campaign[field] = v;
    }
    return campaign;
}

export function parseDescription(text: string | undefined): ParsedDescription {
    if (text === undefined) return {};
    const trimmed = text.trim();
    if (trimmed === '') return {};
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
        try {
            const parsed: unknown = JSON.parse(trimmed);
            if (isPlainObject(parsed)) {
                const campaign = toCampaign(Object.entries(parsed));
                if (campaign !== undefined) return { campaign };
            }
        } catch {
            // Not JSON after all: it is notes that happen to be wrapped in braces.
        }
        return { notes: text };
    }
    if (queryString.test(trimmed)) {
        const campaign = toCampaign(new URLSearchParams(trimmed.replace(/^\?/u, '')).entries());
        if (campaign !== undefined) return { campaign };
    }
    const c = campaignsText.exec(trimmed);
    if (c !== null) {
        const list = (c[1] ?? '').trim();
        if (list === '') return {};
        const campaign = toCampaign([['campaigns', list]]) ?? { params: {} };
        const first = list.split(/[\s,;]+/u, 1)[0];
        if (first !== undefined && mktcmpidPattern.test(first)) campaign.mktcmpid = first;
        return { campaign };
    }
    return { notes: text };
}
