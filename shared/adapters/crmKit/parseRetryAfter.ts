/**
 * Reads an HTTP `Retry-After` value (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. Returns the wait in
 * milliseconds from `now`, or `undefined` when the header is absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
    if (value == null) return undefined;
    const text = value.trim();
    if (text === '') return undefined;
    if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
    // Only IMF-fixdate / RFC 850 / asctime forms carry a weekday or month name; bare numbers with signs are invalid.
    if (!/[A-Za-z]/.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, at - now.getTime());
}
