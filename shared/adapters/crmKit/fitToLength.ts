import type { MappedRecord } from './fieldMapping';

/** Appended to a value cut to fit a CRM column, so a reader of the record sees it was cut. */
export const CUT_MARKER = '…';

/** Column → the most characters the CRM stores in it (from the vendor's metadata, cited where each table is defined). */
export type FieldLengths = Readonly<Record<string, number>>;

export interface FitOptions {
    /**
     * Columns a cut value would make wrong rather than short (an email address cut in the middle is another
     * address): a value too long for one of them is left out of the record instead.
     */
    dropWhenLong?: ReadonlySet<string>;
}

export interface Fitted {
    record: MappedRecord;
    /** Columns whose value was cut (`field`) or left out (`field (left out)`), for the delivery's note. */
    changed: string[];
}

/**
 * Fits every string value into its column's documented length, so a long title or company never turns a lead into a
 * permanent "value too long" failure. The full text stays in the lead's note, annotation or task, where the CRM has
 * room for it. Cuts on a code-point boundary (the CRMs count UTF-16 code units, and half a surrogate pair is invalid).
 */
export function fitToLength(record: MappedRecord, lengths: FieldLengths, options: FitOptions = {}): Fitted {
    const fitted: MappedRecord = {};
    const changed: string[] = [];
    for (const [field, value] of Object.entries(record)) {
        const max = lengths[field];
        if (typeof value !== 'string' || max === undefined || value.length <= max) {
            fitted[field] = value;
            continue;
        }
        if (options.dropWhenLong?.has(field)) {
            changed.push(`${field} (left out)`);
            continue;
        }
        fitted[field] = cutText(value, max);
        changed.push(field);
    }
    return { record: fitted, changed };
}

/** `text` in at most `max` UTF-16 code units, ending with {@link CUT_MARKER} when it had to be cut. */
export function cutText(text: string, max: number): string {
    if (text.length <= max) return text;
    let end = Math.max(0, max - CUT_MARKER.length);
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    return text.slice(0, end) + CUT_MARKER;
}
