/**
 * Seniority from a job title, by the vocabularies in `data/titles/<language>.json` (one file per language, each
 * naming the public job-title references it was reviewed from; docs/domain.md says how to add one). All languages
 * share one lexicon, so a lookup costs the title's length, not the number of languages or words. The most senior
 * match in the title wins; `individual` entries ("executive assistant", "asistentka ředitele") cover the words they
 * contain, so an assistant to the director is not a director.
 */
import { foldForLexicon, PhraseLexicon } from './phraseLexicon';
import { titleVocabularies } from './titleVocabularies';

export type TitleSeniority = 'c-level' | 'vp' | 'director' | 'manager' | 'individual' | 'unknown';

export const seniorityLevels = ['c-level', 'vp', 'director', 'manager', 'individual'] as const;
type Level = (typeof seniorityLevels)[number];

const rank: Record<Level, number> = { 'c-level': 5, vp: 4, director: 3, manager: 2, individual: 1 };

/** Titles are short; a longer text is not a title, and only its start is read. */
const MAX_TITLE_CHARS = 300;

function buildLexicon(): PhraseLexicon<Level> {
    const lexicon = new PhraseLexicon<Level>();
    for (const vocabulary of titleVocabularies) {
        for (const level of seniorityLevels) for (const entry of vocabulary[level] ?? []) lexicon.add(entry, level);
    }
    return lexicon;
}

let lexicon: PhraseLexicon<Level> | undefined;

/** Built on first use, so a process that only parses (the intake) never pays for it. */
export function titleLexicon(): PhraseLexicon<Level> {
    lexicon ??= buildLexicon();
    return lexicon;
}

export function titleSeniorityOf(title: string | undefined): TitleSeniority {
    if (title === undefined) return 'unknown';
    const folded = foldForLexicon(title.length > MAX_TITLE_CHARS ? title.slice(0, MAX_TITLE_CHARS) : title);
    if (folded === '') return 'unknown';
    let best: Level = 'individual';
    titleLexicon().scan(folded, (value) => {
        if (rank[value] > rank[best]) best = value;
        return best !== 'c-level';
    });
    return best;
}
