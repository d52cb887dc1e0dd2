/**
 * Free-text country → ISO 3166-1 alpha-2, using i18n-iso-countries' names in every locale it ships (78), its
 * aliases (`UK`, `USA`, `United States`) and alpha-2/alpha-3 codes, plus a few everyday names it lacks (below). Text
 * typed without diacritics (`Ceska republika`, `Turkiye`) is looked up in a second table of folded names, where a
 * folded name that two countries share is left out. Both tables are built once, on the first lookup (not when the app
 * loads: the package and the table cost tens of milliseconds); a lookup is one or two Map gets.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the names load with the first lookup, not with the app */
import type * as Countries from 'i18n-iso-countries';

import { foldForLexicon } from './phraseLexicon';

/**
 * Everyday and official names the package does not list, each checked against the country's own usage: `ČR` is the
 * Czech abbreviation of Česká republika; `Türkiye Cumhuriyeti` and `Turecká republika` are the official Turkish and
 * Czech names of Türkiye; `Slovenská republika` is Slovakia's; `한국` the usual Korean short name; `РФ` the Russian
 * abbreviation; `Kıbrıs` and `İngiltere` Turkish for Cyprus and England.
 */
const supplement: readonly (readonly [string, string])[] = [
    ['US', 'United States of America'],
    ['US', 'America'],
    ['GB', 'Great Britain'],
    ['GB', 'England'],
    ['GB', 'Scotland'],
    ['GB', 'Wales'],
    ['GB', 'Northern Ireland'],
    ['GB', 'İngiltere'],
    ['KR', 'South Korea'],
    ['KR', '한국'],
    ['KR', '남한'],
    ['AE', 'UAE'],
    ['AE', 'الإمارات'],
    ['SA', 'المملكة العربية السعودية'],
    ['CZ', 'ČR'],
    ['CZ', 'Czech Rep'],
    ['SK', 'Slovenská republika'],
    ['TR', 'Türkiye Cumhuriyeti'],
    ['TR', 'Republic of Türkiye'],
    ['TR', 'Turecká republika'],
    ['CY', 'Kıbrıs'],
    ['RU', 'РФ'],
];

let exact: Map<string, string> | undefined;
/** Built on the first text that is not found as written: folding every name in 78 locales costs ~40 ms. */
let folded: Map<string, string | null> | undefined;

/** Lower-case, NFKC, no dots or punctuation, single spaces: `U.S.A.` → `usa`, ` united  states ` → `united states`. */
function countryMatchForm(text: string): string {
    return text
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[.'’()]/gu, '')
        .replace(/[\s,_-]+/gu, ' ')
        .trim();
}

function foldedForm(matchForm: string): string {
    return foldForLexicon(matchForm).replace(/ +/gu, ' ').trim();
}

function buildLookup(): Map<string, string> {
    const countries = require('i18n-iso-countries') as typeof Countries;
    const map = new Map<string, string>();
    const add = (name: string, code: string): void => {
        const key = countryMatchForm(name);
        if (key !== '' && !map.has(key)) map.set(key, code);
    };
    const languages = ['en', ...countries.getSupportedLanguages().filter((l) => l !== 'en')];
    for (const lang of languages) {
        const names = countries.getNames(lang, { select: 'all' });
        for (const [code, list] of Object.entries(names)) for (const name of list) add(name, code);
    }
    // Codes last so that a country's name in some language can never be shadowed by an unrelated code.
    for (const [alpha2, alpha3] of Object.entries(countries.getAlpha2Codes())) {
        add(alpha2, alpha2);
        add(alpha3, alpha2);
    }
    for (const [code, alias] of supplement) add(alias, code);
    return map;
}

/** Every name of the exact table folded; a folded name that two countries share maps to null (not guessed). */
function buildFolded(table: Map<string, string>): Map<string, string | null> {
    const map = new Map<string, string | null>();
    for (const [key, code] of table) {
        const f = foldedForm(key);
        const seen = map.get(f);
        if (seen === undefined) map.set(f, code);
        else if (seen !== code) map.set(f, null);
    }
    return map;
}

/** ISO alpha-2 for a country text, or undefined when it is not recognisable. */
export function countryCodeOf(text: string | undefined): string | undefined {
    if (text === undefined || text.length > 100) return undefined;
    const key = countryMatchForm(text);
    exact ??= buildLookup();
    const code = exact.get(key);
    if (code !== undefined) return code;
    folded ??= buildFolded(exact);
    return folded.get(foldedForm(key)) ?? undefined;
}
