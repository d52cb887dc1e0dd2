/**
 * Phone text → E.164 with libphonenumber-js. The `max` metadata is used because only it validates number ranges
 * precisely; a CRM rejects a well-formed but impossible number, so we only derive E.164 for valid numbers. The
 * library and its metadata load with the first phone number, not with the app.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
import type * as PhoneNumbers from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

let library: typeof PhoneNumbers | undefined;
const parsePhoneNumberFromString: typeof PhoneNumbers.parsePhoneNumberFromString = (...args) =>
    (library ??= require('libphonenumber-js/max') as typeof PhoneNumbers).parsePhoneNumberFromString(...args);

/** E.164 for a phone text, using the lead's country as the default region; undefined when not derivable. */
export function phoneToE164(text: string | undefined, countryCode: string | undefined): string | undefined {
    if (text === undefined || text.length > 64) return undefined;
    const options = countryCode === undefined ? {} : { defaultCountry: countryCode as CountryCode };
    let parsed = parsePhoneNumberFromString(text, options);
    if ((parsed === undefined || !parsed.isValid()) && /^\s*\d/u.test(text) && countryCode === undefined) {
        // Marketplace phones are unformatted: `16175555555` is a full international number without its `+`, and
        // `00420…` one written with the international call prefix used across Europe and Türkiye.
        parsed = parsePhoneNumberFromString(`+${text.trim().replace(/^00/u, '')}`);
    }
    if (parsed === undefined || !parsed.isValid()) return undefined;
    return parsed.number;
}
