/**
 * Free-text country → ISO 3166-1 alpha-2, using i18n-iso-countries' names in every locale it ships (78), its
 * aliases (`UK`, `USA`, `United States`) and alpha-2/alpha-3 codes. The table is built once; a lookup is one Map get.
 */
import countries from 'i18n-iso-countries';

const lookup = buildLookup();

/** Lower-case, NFKC, no dots or punctuation, single spaces: `U.S.A.` → `usa`, ` united  states ` → `united states`. */
function countryMatchForm(text: string): string {
    return text
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[.'’()]/gu, '')
        .replace(/[\s,_-]+/gu, ' ')
        .trim();
}

function buildLookup(): Map<string, string> {
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
    for (const [code, alias] of [
        ['US', 'United States of America'],
        ['US', 'America'],
        ['GB', 'Great Britain'],
        ['GB', 'England'],
        ['GB', 'Scotland'],
        ['GB', 'Wales'],
        ['GB', 'Northern Ireland'],
        ['KR', 'South Korea'],
        ['AE', 'UAE'],
    ] as const) {
        add(alias, code);
    }
    return map;
}

/** ISO alpha-2 for a country text, or undefined when it is not recognisable. */
export function countryCodeOf(text: string | undefined): string | undefined {
    if (text === undefined || text.length > 100) return undefined;
    return lookup.get(countryMatchForm(text));
}
