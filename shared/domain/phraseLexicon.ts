/**
 * A vocabulary of phrases looked up in one left-to-right pass, for data kept as word lists (title seniority, company
 * legal forms) rather than regular expressions. The text is folded once (`foldForLexicon`), then, at each word start,
 * a character trie is walked as far as the text allows: the cost is the text's length times the longest entry,
 * whatever the number of entries or languages. In scripts written without spaces (Chinese, Japanese, Korean, Thai) a
 * walk starts at every character. At one position the longest entry wins, and the words it covers are not looked at
 * again, so `vice president` is never also `president`.
 *
 * Entry syntax: `generální ředitel` (whole words), `ředitel*` (the last word's stem: `ředitelka`, `ředitele`),
 * `*leiter` (a word's ending, for compounds: `Vertriebsleiter`).
 */

const SPACE = 0x20;

/** Diacritics and vowel points (Latin, Greek, Cyrillic, Hebrew, Arabic); kana voicing marks are kept. */
const STRIPPED_MARKS = /[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]/gu;
/** Letters that carry no separable mark but that people replace when they type without diacritics. */
const LETTER_FOLDS: Record<string, string> = {
    ł: 'l',
    đ: 'd',
    ø: 'o',
    æ: 'ae',
    œ: 'oe',
    ħ: 'h',
    ı: 'i',
    ŀ: 'l',
    ð: 'd',
    þ: 'th',
    ς: 'σ',
    ى: 'ي',
    ـ: '',
};
const FOLDED_LETTERS = /[łđøæœħıŀðþςىـ]/gu;
const NON_WORD = /[^\p{L}\p{N}\p{M}]+/gu;

/** One character's lookup form: compatibility-decomposed, case-folded, diacritics removed, recomposed. */
function foldOne(char: string): string {
    const folded = char
        .normalize('NFKD')
        .toUpperCase()
        .toLowerCase()
        .replace(STRIPPED_MARKS, '')
        .replace(FOLDED_LETTERS, (c) => LETTER_FOLDS[c] ?? c)
        .replace(NON_WORD, ' ')
        .normalize('NFC');
    return folded === '' || folded.trim() !== '' ? folded : ' ';
}

const ASCII_FOLDS: readonly string[] = Array.from({ length: 128 }, (_, c) =>
    /[A-Za-z0-9]/u.test(String.fromCharCode(c)) ? String.fromCharCode(c).toLowerCase() : ' ',
);
/** Filled as characters are met: at most one entry per UTF-16 code unit, so bounded whatever the input. */
const foldedChars = new Map<number, string>();

/**
 * The lookup form, character by character: compatibility-decomposed, case-folded (upper then lower, so `ß` is `ss`
 * and Turkish `ı`/`İ` are `i`), diacritics removed, every non-letter a space (runs of spaces are one separator to
 * `scan`). `Ředitel IT` and `reditel it` fold alike, as do `MÜDÜRÜ` and `muduru`. Each character's form is computed
 * once and remembered, so a title costs a table lookup per character, not two Unicode normalisations.
 */
export function foldForLexicon(text: string): string {
    let out = '';
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 128) {
            out += ASCII_FOLDS[code]!;
            continue;
        }
        let folded = foldedChars.get(code);
        if (folded === undefined) {
            folded = foldOne(String.fromCharCode(code));
            foldedChars.set(code, folded);
        }
        out += folded;
    }
    return out;
}

/** Scripts written without spaces between words: an entry may start and end at any character. */
function isContinuous(code: number): boolean {
    return (
        code >= 0x0e00 &&
        ((code >= 0x3040 && code <= 0x30ff) || // Hiragana, Katakana
            (code >= 0x3400 && code <= 0x4dbf) || // CJK extension A
            (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
            (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
            (code >= 0xac00 && code <= 0xd7a3) || // Hangul syllables
            (code >= 0x0e00 && code <= 0x0e7f)) // Thai
    );
}

/** A class, so every node has one shape and the walk's property reads stay monomorphic. */
class TrieNode<V> {
    next: Map<number, TrieNode<V>> | undefined = undefined;
    /** An entry ends here and must end at a word boundary. */
    whole: V | undefined = undefined;
    /** A stem ends here: it matches to the end of the word. */
    stem: V | undefined = undefined;
}

export interface LexiconConflict {
    entry: string;
    values: [string, string];
}

export class PhraseLexicon<V> {
    private readonly forward = new TrieNode<V>();
    private readonly backward = new TrieNode<V>();
    /** Entries that fold to the same key with different values (a data error the tests report). */
    readonly conflicts: LexiconConflict[] = [];
    private longestEntry = 0;

    constructor(private readonly same: (a: V, b: V) => boolean = (a, b) => a === b) {}

    add(entry: string, value: V): void {
        const stem = entry.endsWith('*');
        const ending = entry.startsWith('*');
        const key = foldForLexicon(entry.replace(/^\*|\*$/gu, ''))
            .replace(/ +/gu, ' ')
            .trim();
        if (key === '') return;
        this.longestEntry = Math.max(this.longestEntry, key.length);
        if (ending) {
            const reversed = [...key].reverse().join('');
            this.set(this.nodeFor(this.backward, reversed), 'whole', value, entry);
        } else {
            this.set(this.nodeFor(this.forward, key), stem ? 'stem' : 'whole', value, entry);
        }
    }

    private nodeFor(root: TrieNode<V>, key: string): TrieNode<V> {
        let node = root;
        for (let i = 0; i < key.length; i++) {
            const code = key.charCodeAt(i);
            node.next ??= new Map();
            let child = node.next.get(code);
            if (child === undefined) {
                child = new TrieNode<V>();
                node.next.set(code, child);
            }
            node = child;
        }
        return node;
    }

    private set(node: TrieNode<V>, slot: 'whole' | 'stem', value: V, entry: string): void {
        const existing = node[slot];
        if (existing !== undefined && !this.same(existing, value)) {
            this.conflicts.push({ entry, values: [String(existing), String(value)] });
            return;
        }
        node[slot] = value;
    }

    /**
     * Calls `onMatch(value, start, end)` for each match in the folded text, left to right (offsets in the folded text);
     * `onMatch` returning `false` stops the scan. Linear: each word start walks at most the longest entry's length,
     * each word is skipped over once.
     */
    scan(folded: string, onMatch: (value: V, start: number, end: number) => boolean | void): void {
        const n = folded.length;
        let i = 0;
        while (i < n) {
            const code = folded.charCodeAt(i);
            if (code === SPACE) {
                i++;
                continue;
            }
            const continuous = isContinuous(code);
            const wordEnd = continuous ? i + 1 : this.wordEnd(folded, i);
            const end = this.walk(folded, i, wordEnd);
            if (end > 0) {
                if (onMatch(this.found as V, i, end) === false) return;
                i = end;
                continue;
            }
            if (!continuous) {
                const start = this.ending(folded, i, wordEnd);
                if (start >= 0 && onMatch(this.found as V, start, wordEnd) === false) return;
            }
            i = wordEnd;
        }
    }

    /** The value of the last walk's or ending's match (a field, so the scan allocates nothing per word). */
    private found: V | undefined = undefined;

    /** End of the word starting at `i`: the next space or the next character of a continuous script. */
    private wordEnd(text: string, i: number): number {
        let j = i;
        while (j < text.length) {
            const c = text.charCodeAt(j);
            if (c === SPACE || isContinuous(c)) break;
            j++;
        }
        return j;
    }

    /** The end of the longest entry starting at `start`, or -1; its value in `found`. */
    private walk(text: string, start: number, firstWordEnd: number): number {
        let node: TrieNode<V> | undefined = this.forward;
        let bestEnd = -1;
        // The trie's depth bounds the walk; a run of spaces counts as one step.
        for (let j = start; j < text.length;) {
            const code = text.charCodeAt(j);
            node = node.next?.get(code);
            if (node === undefined) break;
            j++;
            if (code === SPACE) while (j < text.length && text.charCodeAt(j) === SPACE) j++;
            if (node.whole !== undefined && this.boundaryAt(text, j)) {
                bestEnd = j;
                this.found = node.whole;
            }
            if (node.stem !== undefined) {
                const end = j <= firstWordEnd ? firstWordEnd : this.wordEnd(text, j);
                if (end >= bestEnd) {
                    bestEnd = end;
                    this.found = node.stem;
                }
            }
        }
        return bestEnd;
    }

    private boundaryAt(text: string, j: number): boolean {
        if (j >= text.length) return true;
        const c = text.charCodeAt(j);
        return c === SPACE || isContinuous(c) || isContinuous(text.charCodeAt(j - 1));
    }

    /** The start of the longest `*ending` entry that the word [start, end) ends with, or -1; its value in `found`. */
    private ending(text: string, start: number, end: number): number {
        let node: TrieNode<V> | undefined = this.backward;
        let bestStart = -1;
        for (let k = end - 1; k >= start && k >= end - this.longestEntry; k--) {
            node = node.next?.get(text.charCodeAt(k));
            if (node === undefined) break;
            if (node.whole !== undefined) {
                bestStart = k;
                this.found = node.whole;
            }
        }
        return bestStart;
    }
}
