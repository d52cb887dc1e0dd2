/** Days before expiry from which the health check warns (and from which a dying secret is flagged unhealthy). */
export const expiryWarningDays = 14;

export interface ExpiryVerdict {
    ok: boolean;
    message?: string;
    credentialExpiresAt?: string;
}

/**
 * Judges a credential's expiry (a client secret's end date from a setting, a certificate's `validTo`, a token's
 * expiry). Expired, or expiring within {@link expiryWarningDays}, is unhealthy, so the publisher renews it before
 * leads are lost.
 */
export function judgeExpiry(expiresAt: Date | undefined, now: Date, what: string): ExpiryVerdict {
    if (!expiresAt || Number.isNaN(expiresAt.getTime())) return { ok: true };
    const days = Math.floor((expiresAt.getTime() - now.getTime()) / 86_400_000);
    const credentialExpiresAt = expiresAt.toISOString();
    if (days < 0) return { ok: false, message: `${what} expired on ${credentialExpiresAt}`, credentialExpiresAt };
    if (days < expiryWarningDays) {
        return {
            ok: false,
            message: `${what} expires in ${days} day(s), on ${credentialExpiresAt}`,
            credentialExpiresAt,
        };
    }
    return { ok: true, credentialExpiresAt };
}

/** Parses an optional ISO date option (`credentialExpiresAt`), for secrets whose end date only the portal knows. */
export function parseExpiryOption(value: string | undefined): Date | undefined {
    if (value === undefined) return undefined;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
}
