/**
 * The last line of defence against personal data in telemetry. Code is expected to record ids, enums and numbers
 * only; this filter drops whatever slips through anyway: attributes whose key names a personal field, and values that
 * look like an email address or a phone number. Free text that must be kept (exception messages) is redacted instead.
 */
import type { Attributes } from '@opentelemetry/api';

/** Key segments that name a personal field, compared lower-cased with `_`/`-` removed (`first_name` → `firstname`). */
const personalKeySegments = new Set([
    'email',
    'emailnormalised',
    'emailnormalized',
    'mail',
    'phone',
    'phonee164',
    'telephone',
    'mobile',
    'firstname',
    'lastname',
    'fullname',
    'givenname',
    'surname',
    'familyname',
    'contactname',
    'customername',
    'personname',
    'username',
    'company',
    'companyname',
    'jobtitle',
    'title',
    'address',
    'street',
    'description',
    'notes',
    'comments',
    'comment',
    'contact',
    'ipaddress',
    'clientaddress',
]);

/**
 * Segment pairs that name a person although neither segment does alone (`contact.name`, `enduser.id`). `lead.id` is
 * not one: it is the pipeline's own hashed lead key, the attribute every lead span is found by.
 */
const personalKeyPairs = [
    /(^|\.)(contact|customer|person|user|lead|enduser)\.name$/,
    /(^|\.)(contact|customer|person|user|enduser)\.id$/,
];

const emailPattern = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[a-z]{2,}/i;
const emailPatternGlobal = new RegExp(emailPattern.source, 'gi');
/**
 * A run of 7–15 digits, optionally with a leading `+` and the usual separators, standing alone: digits inside a hex
 * hash, a GUID or an ISO timestamp are not a phone number (lead keys are hashes and must survive).
 */
const phonePatternGlobal = /(?<![\w+-])\+?\(?\d(?:[\d\s().-]*\d)?(?![\w-])/g;
const isoDateLike = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/;

function normaliseSegment(segment: string): string {
    return segment.toLowerCase().replace(/[_-]/g, '');
}

/** True when the attribute key names a personal field. */
export function isPersonalKey(key: string): boolean {
    const lower = key.toLowerCase();
    if (personalKeyPairs.some((p) => p.test(lower))) return true;
    return lower.split(/[.\s/]/).some((segment) => personalKeySegments.has(normaliseSegment(segment)));
}

function digitCount(text: string): number {
    return text.replace(/\D/g, '').length;
}

function looksLikePhone(candidate: string): boolean {
    const digits = digitCount(candidate);
    if (digits < 7 || digits > 15) return false;
    if (isoDateLike.test(candidate.trim())) return false;
    return true;
}

/** True when a string contains an email address or a phone-number-like run of digits. */
export function containsPersonalData(text: string): boolean {
    if (emailPattern.test(text)) return true;
    for (const match of text.matchAll(phonePatternGlobal)) {
        if (looksLikePhone(match[0])) return true;
    }
    return false;
}

/** Replaces email addresses and phone-like digit runs in free text; keeps the rest readable. */
export function redactText(text: string): string {
    return text
        .replace(emailPatternGlobal, '[email]')
        .replace(phonePatternGlobal, (m) => (looksLikePhone(m) ? '[phone]' : m));
}

function valueIsPersonal(value: unknown): boolean {
    if (typeof value === 'string') return containsPersonalData(value);
    if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && containsPersonalData(v));
    return false;
}

/** Keys kept as redacted free text rather than dropped: they explain failures and never name a person. */
const redactedTextKeys = new Set(['exception.message', 'exception.stacktrace', 'error.message']);

/**
 * A copy of `attributes` without personal data, or the same object when nothing had to go (the common case, so the
 * filter allocates nothing on the hot path). Returns the number of attributes dropped for the span's counters.
 */
export function sanitizeAttributes(attributes: Attributes): { attributes: Attributes; dropped: number } {
    let result: Attributes | undefined;
    let dropped = 0;
    for (const [key, value] of Object.entries(attributes)) {
        if (redactedTextKeys.has(key) && typeof value === 'string') {
            const redacted = redactText(value);
            if (redacted !== value) {
                result ??= { ...attributes };
                result[key] = redacted;
            }
            continue;
        }
        if (isPersonalKey(key) || valueIsPersonal(value)) {
            result ??= { ...attributes };
            delete result[key];
            dropped++;
        }
    }
    return { attributes: result ?? attributes, dropped };
}
