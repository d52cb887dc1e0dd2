/**
 * The title vocabularies, one JSON file per language under `data/titles/` (ISO 639-1 code). To add a language, add
 * its file (same shape, with the references it was reviewed from) and one import line here; the test table in
 * `test/unit/domain/titleSeniority.test.ts` needs at least 15 real titles for it.
 */
import ar from './data/titles/ar.json';
import bg from './data/titles/bg.json';
import cs from './data/titles/cs.json';
import da from './data/titles/da.json';
import de from './data/titles/de.json';
import el from './data/titles/el.json';
import en from './data/titles/en.json';
import es from './data/titles/es.json';
import et from './data/titles/et.json';
import fi from './data/titles/fi.json';
import fr from './data/titles/fr.json';
import ga from './data/titles/ga.json';
import he from './data/titles/he.json';
import hr from './data/titles/hr.json';
import hu from './data/titles/hu.json';
import it from './data/titles/it.json';
import ja from './data/titles/ja.json';
import ko from './data/titles/ko.json';
import lt from './data/titles/lt.json';
import lv from './data/titles/lv.json';
import mt from './data/titles/mt.json';
import nb from './data/titles/nb.json';
import nl from './data/titles/nl.json';
import pl from './data/titles/pl.json';
import pt from './data/titles/pt.json';
import ro from './data/titles/ro.json';
import ru from './data/titles/ru.json';
import sk from './data/titles/sk.json';
import sl from './data/titles/sl.json';
import sv from './data/titles/sv.json';
import tr from './data/titles/tr.json';
import uk from './data/titles/uk.json';
import zh from './data/titles/zh.json';

export interface TitleVocabulary {
    /** ISO 639-1 code, the file's name. */
    language: string;
    name: string;
    /** The public job-title references the entries were reviewed against. */
    references: string[];
    'c-level'?: string[];
    vp?: string[];
    director?: string[];
    manager?: string[];
    /** Titles that contain a senior word but name no decision-maker ("executive assistant"). */
    individual?: string[];
}

export const titleVocabularies: readonly TitleVocabulary[] = [
    ar,
    bg,
    cs,
    da,
    de,
    el,
    en,
    es,
    et,
    fi,
    fr,
    ga,
    he,
    hr,
    hu,
    it,
    ja,
    ko,
    lt,
    lv,
    mt,
    nb,
    nl,
    pl,
    pt,
    ro,
    ru,
    sk,
    sl,
    sv,
    tr,
    uk,
    zh,
];
