import { foldForLexicon } from '../../../shared/domain/phraseLexicon';
import { titleLexicon, titleSeniorityOf } from '../../../shared/domain/titleSeniority';
import { titleVocabularies } from '../../../shared/domain/titleVocabularies';
import { realTitles } from './support/realTitles';

/** The 24 official languages of the EU, then the markets issue 14 names, then the nine covered before. */
const required = [
    'bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'ga', 'hr', 'hu', 'it', 'lt', 'lv', 'mt', 'nl', 'pl',
    'pt', 'ro', 'sk', 'sl', 'sv', 'tr', 'ru', 'uk', 'ar', 'he', 'ko', 'ja', 'zh',
]; // prettier-ignore

/**
 * How people type a title without diacritics: accents dropped (Latin, Greek, Cyrillic; kana voicing marks are part of
 * the letter), and the letters that have no accent to drop replaced.
 */
function withoutDiacritics(text: string): string {
    return text
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/gu, '')
        .replace(/[łŁ]/gu, (c) => (c === 'ł' ? 'l' : 'L'))
        .replace(/[đĐ]/gu, (c) => (c === 'đ' ? 'd' : 'D'))
        .replace(/ı/gu, 'i')
        .normalize('NFC');
}

describe('title vocabularies', () => {
    it.each(required)(
        'when the language is %s then a vocabulary file covers every level and cites references',
        (code) => {
            const vocabulary = titleVocabularies.find((v) => v.language === code);
            expect(vocabulary).toBeDefined();
            expect(vocabulary!.references.length).toBeGreaterThanOrEqual(2);
            for (const level of ['c-level', 'vp', 'director', 'manager'] as const) {
                expect(vocabulary![level]?.length ?? 0).toBeGreaterThan(0);
            }
        },
    );

    it('when every vocabulary is loaded then no phrase folds to the same words at two levels', () => {
        expect(titleLexicon().conflicts).toEqual([]);
    });

    it.each(required)('when the language is %s then the table holds at least 15 real titles', (code) => {
        expect(realTitles[code]?.length ?? 0).toBeGreaterThanOrEqual(15);
    });
});

describe('titleSeniorityOf in every language', () => {
    const rows = Object.entries(realTitles).flatMap(([code, list]) => list.map(([t, l]) => [code, t, l] as const));

    it.each(rows)('when a %s title is %j then the seniority is %s', (code, title, level) => {
        expect(titleSeniorityOf(title)).toBe(level);
        expect(titleSeniorityOf(title.toLocaleLowerCase(code))).toBe(level);
        expect(titleSeniorityOf(title.toLocaleUpperCase(code))).toBe(level);
        expect(titleSeniorityOf(title.toUpperCase())).toBe(level);
        expect(titleSeniorityOf(withoutDiacritics(title))).toBe(level);
    });
});

describe('titleSeniorityOf for the titles of issue 14', () => {
    it.each([
        ['Ředitel IT', 'director'],
        ['Reditel IT', 'director'],
        ['ředitelka', 'director'],
        ['Jednatelka společnosti', 'c-level'],
        ['jednatel', 'c-level'],
        ['Vedoucí', 'director'],
        ['manažerka', 'manager'],
        ['Manažer', 'manager'],
        ['Bilgi Teknolojileri Müdürü', 'director'],
        ['BİLGİ TEKNOLOJİLERİ MÜDÜRÜ', 'director'],
        ['mudur', 'director'],
        ['Müdürü', 'director'],
        ['Genel Müdür', 'c-level'],
        ['genel mudur', 'c-level'],
        ['Direktör', 'director'],
        ['Yönetici', 'manager'],
        ['Kurucu', 'c-level'],
        ['CEO', 'c-level'],
        ['Sahibi', 'c-level'],
        ['Başkan', 'c-level'],
        ['Başkan Yardımcısı', 'vp'],
        ['baskan yardimcisi', 'vp'],
        ['Takım Lideri', 'manager'],
    ])('when the title is %j then the seniority is %s', (title, level) => {
        expect(titleSeniorityOf(title)).toBe(level);
    });

    it('when a longer phrase starts where a shorter one does then the longer decides (vice president ≠ president)', () => {
        expect(titleSeniorityOf('Vice President')).toBe('vp');
        expect(titleSeniorityOf('Genel Müdür Yardımcısı')).toBe('vp');
        expect(titleSeniorityOf('부사장')).toBe('vp');
        expect(titleSeniorityOf('Asistentka generálního ředitele')).toBe('individual');
    });

    it('when a title names two roles then the more senior one decides', () => {
        expect(titleSeniorityOf('Jednatel a obchodní ředitel')).toBe('c-level');
        expect(titleSeniorityOf('IT Manager / Head of Infrastructure')).toBe('director');
    });
});

describe('foldForLexicon', () => {
    it.each([
        ['Ředitel IT', 'reditel it'],
        ['MÜDÜRÜ', 'muduru'],
        ['İstanbul', 'istanbul'],
        ['Geschäftsführer', 'geschaftsfuhrer'],
        ['Straße', 'strasse'],
        ['Właściciel', 'wlasciciel'],
        ['Co-Founder & CTO', 'co founder cto'],
        ['ＣＥＯ', 'ceo'],
        ['Διευθύνων Σύμβουλος', 'διευθυνων συμβουλοσ'],
        ['マネージャー', 'マネージャー'],
        ['마케팅팀장', '마케팅팀장'],
    ])('when the text is %j then the lookup form is %j (runs of spaces are one separator)', (text, folded) => {
        expect(foldForLexicon(text).replace(/ +/gu, ' ').trim()).toBe(folded);
    });
});
