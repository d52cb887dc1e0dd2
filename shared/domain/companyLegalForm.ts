/**
 * Registered company legal forms (`s.r.o.`, `A.Ş.`, `GmbH`, `Sp. z o.o.`, `ООО`, `株式会社`, …) recognised in the company
 * name, from `data/companyLegalForms.json` (by jurisdiction, reviewed against the ISO 20275 ELF list). The name itself
 * is stored as written; this only derives the facts `hasCompanyLegalForm` and `companyLegalForm`.
 */
import forms from './data/companyLegalForms.json';
import { foldForLexicon, PhraseLexicon } from './phraseLexicon';

interface LegalForm {
    /** The first spelling's letters, lower-case, without dots and spaces: `sro`, `as`, `gmbh`, `spzoo`. */
    id: string;
    /** A short one-word form (`AS`, `AG`, `Ltd`, `(株)`) counts only as the name's first or last word. */
    edgeOnly: boolean;
}

const letters = (spelling: string): string => foldForLexicon(spelling).replace(/ +/gu, '');

function buildLexicon(): PhraseLexicon<LegalForm> {
    const lexicon = new PhraseLexicon<LegalForm>((a, b) => a.id === b.id);
    for (const groups of Object.values(forms.forms as Record<string, string[][]>)) {
        for (const group of groups) {
            const id = letters(group[0] ?? '');
            for (const spelling of group) {
                for (const variant of new Set([spelling, spelling.replace(/\./gu, '')])) {
                    const key = foldForLexicon(variant).replace(/ +/gu, ' ').trim();
                    lexicon.add(variant, { id, edgeOnly: !key.includes(' ') && [...key].length <= 3 });
                }
            }
        }
    }
    return lexicon;
}

let lexicon: PhraseLexicon<LegalForm> | undefined;

/** Built on first use, so a process that only parses (the intake) never pays for it. */
export function legalFormLexicon(): PhraseLexicon<LegalForm> {
    lexicon ??= buildLexicon();
    return lexicon;
}

/** Names are short; of a longer text only the start and the end, where legal forms stand, are read. */
const EDGE_CHARS = 120;

function isSpace(text: string, i: number): boolean {
    return i < 0 || i >= text.length || text.charCodeAt(i) === 0x20;
}

function onlySpaces(text: string, from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (text.charCodeAt(i) !== 0x20) return false;
    return true;
}

function accepted(folded: string, form: LegalForm, start: number, end: number): boolean {
    if (!form.edgeOnly) return true;
    if (!isSpace(folded, start - 1) || !isSpace(folded, end)) return false;
    return onlySpaces(folded, 0, start) || onlySpaces(folded, end, folded.length);
}

/** The legal form's id (`sro`, `as`, `ltdsti`, `gmbh`), the last one in the name when it names several. */
export function companyLegalFormOf(company: string | undefined): string | undefined {
    if (company === undefined) return undefined;
    const text =
        company.length > 2 * EDGE_CHARS ? `${company.slice(0, EDGE_CHARS)} ${company.slice(-EDGE_CHARS)}` : company;
    const folded = foldForLexicon(text);
    let found: string | undefined;
    legalFormLexicon().scan(folded, (form, start, end) => {
        if (accepted(folded, form, start, end)) found = form.id;
    });
    return found;
}
