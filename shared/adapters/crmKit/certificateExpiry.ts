import { X509Certificate } from 'node:crypto';

/** The end date of the first certificate in a PEM, so the health check can warn before it lapses. */
export function certificateExpiry(pem: string | undefined): Date | undefined {
    if (!pem) return undefined;
    const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    if (!block) return undefined;
    try {
        return new Date(new X509Certificate(block).validTo);
    } catch {
        return undefined;
    }
}
