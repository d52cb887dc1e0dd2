import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const signatureHeader = 'X-Lead-Signature';
/** Stable per lead and target across retries and redeliveries: receivers de-duplicate on it. */
export const idempotencyHeader = 'Idempotency-Key';

/** The signature header value for `body` sent at `at` (the timestamp is signed too, so a replay can be refused). */
export function signWebhook(secret: string, body: string, at: Date): string {
    const t = Math.floor(at.getTime() / 1000);
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
    return `t=${t},v1=${v1}`;
}

/**
 * Receiver-side check (used by the demo receiver and tests; publishers can copy it): the signature matches and the
 * timestamp is within `toleranceSeconds` of `now`.
 */
export function verifyWebhookSignature(
    secret: string,
    body: string,
    header: string | undefined,
    now: Date,
    toleranceSeconds = 300,
): boolean {
    if (header === undefined) return false;
    const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
    const t = Number(parts.get('t'));
    const v1 = parts.get('v1');
    if (!Number.isInteger(t) || v1 === undefined || !/^[0-9a-f]{64}$/u.test(v1)) return false;
    if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
    const expected = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest();
    return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
