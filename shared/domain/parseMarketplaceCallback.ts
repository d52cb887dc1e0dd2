/**
 * Parses an HTTPS callback body. Keys are matched case-insensitively at every level (the documented PascalCase,
 * the camelCase real traffic uses, and mixes); every field is optional. Anything that is not a JSON object throws
 * `MarketplacePayloadError` and nothing else: the caller stores the raw body and answers 400.
 */
import { buildLead } from './buildLead';
import { isPlainObject, keyView, unknownKeysOf } from './caseInsensitive';
import { readContact } from './contactObject';
import { MarketplacePayloadError } from './errors';
import type { Lead, LeadFieldProblem } from './Lead';

const known = new Set([
    'userdetails',
    'customerinfo',
    'leadsource',
    'actioncode',
    'offertitle',
    'offerdisplayname',
    'description',
    'productid',
]);

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

export function decodeBody(rawBody: string | Uint8Array): string {
    const text = typeof rawBody === 'string' ? rawBody : decoder.decode(rawBody);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseJsonObject(rawBody: string | Uint8Array): Record<string, unknown> {
    const text = decodeBody(rawBody);
    if (text.trim() === '') throw new MarketplacePayloadError('The body is empty', 'empty');
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new MarketplacePayloadError('The body is not valid JSON', 'not-json');
    }
    if (!isPlainObject(value)) {
        const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
        throw new MarketplacePayloadError(`The body is JSON but not an object (${kind})`, 'not-an-object');
    }
    return value;
}

export function parseMarketplaceCallback(rawBody: string | Uint8Array, meta: { receivedAt: string }): Lead {
    const body = parseJsonObject(rawBody);
    const view = keyView(body);
    const problems: LeadFieldProblem[] = [];
    const details = view.get('userdetails') ?? view.get('customerinfo');
    const contact = readContact(details, view.has('userdetails') ? 'userDetails' : 'customerInfo', problems);
    return buildLead({
        channel: 'https',
        receivedAt: meta.receivedAt,
        contact: contact.contact,
        leadSource: view.get('leadsource'),
        actionCode: view.get('actioncode'),
        offerTitle: view.get('offertitle') ?? view.get('offerdisplayname'),
        description: view.get('description'),
        productId: view.get('productid'),
        unknownKeys: [...unknownKeysOf(body, known, ''), ...contact.unknownKeys],
        problems,
    });
}
