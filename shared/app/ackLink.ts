import { createHmac, timingSafeEqual } from 'node:crypto';

import type { AckRequest } from '../ports/DeliveryTarget';

/**
 * The one-click acknowledgement link: `<base>/api/ack/v1.<leadId>.<round>.<expires>.<signature>`. It carries the
 * lead id (a hash, no personal data), which owner round it is for and when it expires, signed with HMAC-SHA256 under
 * a key from the app settings (a Key Vault reference in Azure). It allows exactly one thing: acknowledging that lead
 * for that round, before it expires.
 */
export interface AckClaim {
    leadId: string;
    round: number;
    /** Unix seconds. */
    expires: number;
}

const TOKEN = /^v1\.([A-Za-z0-9-]{1,100})\.(\d{1,3})\.(\d{10})\.([A-Za-z0-9_-]{43})$/;
/** Longer than any token this app issues; a longer one is refused before anything else is done with it. */
export const MAX_TOKEN_CHARS = 200;

const signature = (key: string, leadId: string, round: number, expires: number): Buffer =>
    createHmac('sha256', key).update(`ack\n${leadId}\n${round}\n${expires}`).digest();

export function signAckToken(key: string, claim: AckClaim): string {
    const sig = signature(key, claim.leadId, claim.round, claim.expires).toString('base64url');
    return `v1.${claim.leadId}.${claim.round}.${claim.expires}.${sig}`;
}

export type AckTokenCheck =
    { ok: true; claim: AckClaim } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

/** Checks shape, then the signature in constant time, then the expiry against `now`. */
export function verifyAckToken(key: string, token: string, now: Date): AckTokenCheck {
    if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
    const m = TOKEN.exec(token);
    if (m === null) return { ok: false, reason: 'malformed' };
    const claim = { leadId: m[1]!, round: Number(m[2]), expires: Number(m[3]) };
    const given = Buffer.from(m[4]!, 'base64url');
    const expected = signature(key, claim.leadId, claim.round, claim.expires);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'bad-signature' };
    if (claim.expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, claim };
}

/** Builds links for one app: its public base URL and key. */
export function ackLinks(baseUrl: string, key: string) {
    const root = baseUrl.replace(/\/+$/, '');
    return {
        url: (claim: AckClaim) => `${root}/api/ack/${signAckToken(key, claim)}`,
    };
}

export type AckLinks = ReturnType<typeof ackLinks>;

/**
 * The link a round's notifications carry: valid `hours` from the orchestration's time `now` (so the same when an
 * activity runs again); none without a signer or for an SLA that is not waiting.
 */
export function ackRequestFor(
    links: AckLinks | undefined,
    hours: number | undefined,
    leadId: string,
    sla: { state: string; dueAt?: string; round: number } | undefined,
    now: Date,
): AckRequest | undefined {
    if (sla?.state !== 'waiting' || sla.dueAt === undefined || links === undefined || hours === undefined)
        return undefined;
    const expires = Math.floor(now.getTime() / 1000 + hours * 3600);
    return {
        url: links.url({ leadId, round: sla.round, expires }),
        expiresAt: new Date(expires * 1000).toISOString(),
        dueAt: sla.dueAt,
        round: sla.round,
    };
}
