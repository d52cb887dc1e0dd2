/**
 * Text helpers for matching. Originals are always stored; these forms only compare, hash and look up.
 */

/** NFKC, full-width → ASCII, case-folded (upper then lower so `ß` folds to `ss`), trimmed, inner whitespace collapsed. */
export function normaliseForMatch(value: string): string {
    // Printable ASCII is already NFKC and folds with toLowerCase alone: the common case skips two normalize passes.
    if (/^[\x20-\x7e]*$/u.test(value)) return collapseSpaces(value.toLowerCase());
    return collapseSpaces(value.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC'));
}

/**
 * The matching form of an email address: width-folded (NFKC) and lower-cased, with no other case folding. An address
 * names one mailbox: `yılmaz@` (Turkish dotless ı) and `yilmaz@`, or `straße@` and `strasse@`, are two people, so the
 * upper-then-lower round trip {@link normaliseForMatch} uses to match titles would join them, and with them their
 * journeys, CRM records, exports and erasures.
 */
export function normaliseEmail(value: string): string {
    if (/^[\x20-\x7e]*$/u.test(value)) return collapseSpaces(value.toLowerCase());
    return collapseSpaces(value.normalize('NFKC').toLowerCase());
}

/**
 * Inner whitespace runs to one space, trimmed. Text whose spaces are already single is returned as it is: replacing
 * each of a million single spaces (NFKC expands `ﷺ` to 18 characters with 3 spaces) costs tens of megabytes.
 */
function collapseSpaces(text: string): string {
    return (/\s\s|[^\S ]/u.test(text) ? text.replace(/\s+/gu, ' ') : text).trim();
}

/** Maximum characters kept per stored field: Table string properties hold at most 64 KiB (32 Ki UTF-16 units). */
export const FIELD_CHAR_CAP = 32_000;

/** Appended to a capped value so a reader sees that it was cut. */
export const TRUNCATION_MARKER = '…[truncated]';

/**
 * Caps a stored field and records its original length under `path` in `truncated`. Cuts on a code-point boundary so
 * a capped value is still valid UTF-16.
 */
export function capField(value: string, path: string, truncated: Record<string, number>): string {
    if (value.length <= FIELD_CHAR_CAP) return value;
    truncated[path] = value.length;
    let end = FIELD_CHAR_CAP - TRUNCATION_MARKER.length;
    const code = value.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    return value.slice(0, end) + TRUNCATION_MARKER;
}

/** A trimmed non-empty string, or undefined: the marketplace sends `""` and `" "` for absent values. */
export function presentText(value: unknown): string | undefined {
    if (typeof value === 'string') return value.trim() === '' ? undefined : value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return undefined;
}
