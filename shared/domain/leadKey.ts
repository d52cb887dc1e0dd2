/**
 * Lead and person keys. The lead key identifies one marketplace event for transport de-duplication; the marketplace
 * sends no id, so it is a hash of everything both channels (HTTPS callback and `MarketplaceLeads` row) carry, plus a
 * time bucket. Keys are `[A-Za-z0-9-]`, 43 characters: valid as Service Bus message id, Durable instance id and Table
 * row key.
 */
import * as crypto from 'node:crypto';

import type { Lead } from './Lead';
import { normaliseForMatch } from './text';

/**
 * Bucket width. An HTTPS callback and its table row, or a retried callback, arrive seconds to a few minutes apart;
 * with the neighbouring buckets also checked (`leadKeyCandidates`), copies up to 10 minutes apart are always
 * recognised, and the same content 20+ minutes apart is always treated as a new lead.
 */
export const LEAD_KEY_BUCKET_MINUTES = 10;
const BUCKET_MS = LEAD_KEY_BUCKET_MINUTES * 60_000;
const KEY_VERSION = 'v1';

/** The original (uncapped) texts both channels carry. */
export interface LeadKeyMaterial {
    email?: string;
    firstName?: string;
    lastName?: string;
    company?: string;
    title?: string;
    phone?: string;
    country?: string;
    offerTitle?: string;
    leadSource?: string;
    actionCode?: string;
    description?: string;
}

const order: readonly (keyof LeadKeyMaterial)[] = [
    'email',
    'firstName',
    'lastName',
    'company',
    'title',
    'phone',
    'country',
    'offerTitle',
    'leadSource',
    'actionCode',
    'description',
];

/**
 * One-shot `crypto.hash` (Node 20.12 and later) where there is one: several times faster than a `createHash` object
 * for short inputs, and a lead takes three to five of these digests.
 */
const sha256Hex: (text: string) => string =
    typeof crypto.hash === 'function'
        ? (text) => crypto.hash('sha256', text, 'hex')
        : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** Digest of the normalised material; phones compare by digits so `+1 425…` and `1425…` agree. */
export function keyMaterialOf(m: LeadKeyMaterial): string {
    const parts = order.map((field) => {
        const value = m[field];
        if (value === undefined) return '';
        return field === 'phone' ? value.replace(/\D/gu, '') : normaliseForMatch(value);
    });
    return sha256Hex(`${KEY_VERSION}\u001e${parts.join('\u001f')}`);
}

/** The time bucket of an ISO time, or undefined when the time does not parse. */
export function timeBucketOf(iso: string): number | undefined {
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? Math.floor(ms / BUCKET_MS) : undefined;
}

export function leadKeyOf(keyMaterial: string, bucket: number | undefined): string {
    return `lk-${sha256Hex(`${keyMaterial}\u001e${bucket ?? 'none'}`).slice(0, 40)}`;
}

/**
 * The lead's own key first, then the keys of the previous and next time buckets: the intake treats a lead as a
 * duplicate when any of them is already known, so copies that straddle a bucket boundary are still recognised.
 */
export function leadKeyCandidates(lead: Pick<Lead, 'leadKey' | 'keyMaterial' | 'receivedAt'>): string[] {
    const bucket = timeBucketOf(lead.receivedAt);
    if (lead.keyMaterial === undefined || bucket === undefined) return [lead.leadKey];
    return [lead.leadKey, leadKeyOf(lead.keyMaterial, bucket - 1), leadKeyOf(lead.keyMaterial, bucket + 1)];
}

/** One person's journey on one offer; undefined without an email. */
export function personKeyOf(
    emailNormalised: string | undefined,
    offerTitle?: string,
    offerRef?: string,
): string | undefined {
    if (emailNormalised === undefined || emailNormalised === '') return undefined;
    const offer = normaliseForMatch(offerTitle ?? offerRef ?? '');
    return `pk-${sha256Hex(`${KEY_VERSION}\u001e${emailNormalised}\u001f${offer}`).slice(0, 40)}`;
}
