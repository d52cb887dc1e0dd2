/**
 * Case-insensitive views over untrusted JSON objects. Values are read through a null-prototype map, so keys such as
 * `__proto__` or `constructor` are plain data and can never reach an object's prototype.
 */

export type KeyView = ReadonlyMap<string, unknown>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Lower-cased key → value. When a payload carries the same key in two casings, the first non-empty value wins, so a
 * blank `email` next to a filled `Email` does not erase it.
 */
export function keyView(obj: Record<string, unknown>): KeyView {
    const map = new Map<string, unknown>();
    for (const key of Object.keys(obj)) {
        const lower = key.toLowerCase();
        const value = obj[key];
        const existing = map.get(lower);
        if (!map.has(lower) || isBlank(existing)) map.set(lower, value);
    }
    return map;
}

function isBlank(value: unknown): boolean {
    return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Keys of `obj` whose lower-cased form is not in `known`, prefixed with `prefix` (names only, never values). */
export function unknownKeysOf(obj: Record<string, unknown>, known: ReadonlySet<string>, prefix: string): string[] {
    const out: string[] = [];
    let more = 0;
    for (const key of Object.keys(obj)) {
        if (known.has(key.toLowerCase())) continue;
        if (out.length < MAX_UNKNOWN_KEYS) out.push(prefix + capKeyName(key));
        else more++;
    }
    if (more > 0) out.push(`${prefix}…(+${more} more)`);
    return out;
}

/** Enough to notice contract drift; a body with 100 000 junk keys must not make a 100 000-entry list. */
const MAX_UNKNOWN_KEYS = 50;

/** Key names are recorded for drift detection; a hostile 1 MB key name must not become a 1 MB log line. */
function capKeyName(key: string): string {
    return key.length > 64 ? `${key.slice(0, 61)}...` : key;
}
