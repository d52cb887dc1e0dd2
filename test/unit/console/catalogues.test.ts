import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..', 'console', 'src');
const catalogue = (lang: string) =>
    JSON.parse(readFileSync(join(root, 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;
const languages = ['en', 'cs', 'tr'];

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/u.test(name) ? [readFileSync(path, 'utf8')] : [];
    });
}

/**
 * intl-messageformat (what the console formats with) ships as ES modules only, which Jest's CommonJS runtime cannot
 * load: each message is compiled and formatted by the same library in a Node process of its own.
 */
function formatAll(requests: { lang: string; key: string; text: string; values?: Record<string, number> }[]) {
    const script = `
        import { IntlMessageFormat } from 'intl-messageformat';
        import { readFileSync } from 'node:fs';
        const requests = JSON.parse(readFileSync(0, 'utf8'));
        const out = requests.map((r) => {
            try { return { ok: true, text: String(new IntlMessageFormat(r.text, r.lang).format(r.values ?? {})) }; }
            catch (err) { return { ok: false, text: String(err) }; }
        });
        process.stdout.write(JSON.stringify(out));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: join(root, '..', '..'),
        input: JSON.stringify(requests),
        encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout) as { ok: boolean; text: string }[];
}

describe("the console's catalogues", () => {
    it('when a language has a catalogue then it has exactly the English keys', () => {
        const keys = Object.keys(catalogue('en')).sort();
        for (const lang of languages) expect([lang, Object.keys(catalogue(lang)).sort()]).toEqual([lang, keys]);
    });

    it('when a message is formatted then it parses in its language, with the same placeholders as English', () => {
        const en = catalogue('en');
        const placeholders = (text: string) =>
            [...new Set([...text.matchAll(/\{(\w+)[,}]/gu)].map((m) => m[1]!))].sort();
        const all = languages.flatMap((lang) =>
            Object.entries(catalogue(lang)).map(([key, text]) => ({ lang, key, text })),
        );
        const values = (text: string) => Object.fromEntries(placeholders(text).map((p) => [p, 2]));
        const formatted = formatAll(all.map((m) => ({ ...m, values: values(m.text) })));

        expect(all.filter((_, i) => !formatted[i]!.ok).map((m) => `${m.lang} ${m.key}`)).toEqual([]);
        for (const m of all)
            expect([m.lang, m.key, placeholders(m.text)]).toEqual([m.lang, m.key, placeholders(en[m.key]!)]);
    });

    it('when the code names a message then the catalogue has it, and Czech and Turkish are really translated', () => {
        const code = sources(root).join('\n');
        const used = [...code.matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z.-]+)'/gu)].map((m) => m[1]!);
        const en = catalogue('en');
        expect(used.length).toBeGreaterThan(100);
        expect(used.filter((k) => !(k in en))).toEqual([]);
        for (const lang of ['cs', 'tr']) {
            const other = catalogue(lang);
            const same = Object.keys(en).filter(
                (k) => other[k] === en[k] && !/^(source\.|outcome\.test|rules\.byChange)/u.test(k),
            );
            expect([lang, same.length < Object.keys(en).length / 20]).toEqual([lang, true]);
        }
    });

    it('when a count is shown in Czech then the plural form follows the number (1 lead, 2 leady, 5 leadů)', () => {
        const cs = catalogue('cs')['overview.total']!;
        const tr = catalogue('tr')['overview.total']!;

        const out = formatAll([
            ...[1, 2, 5].map((count) => ({ lang: 'cs', key: 'overview.total', text: cs, values: { count } })),
            { lang: 'tr', key: 'overview.total', text: tr, values: { count: 3 } },
        ]);

        expect(out.map((o) => o.text)).toEqual(['1 lead', '2 leady', '5 leadů', '3 aday']);
    });
});
