/**
 * The console's languages: one catalogue per language (`i18n/<lang>.json`, ICU MessageFormat, formatted by
 * intl-messageformat), chosen from the browser's languages, switchable, remembered in this browser. Dates, numbers
 * and durations are formatted with the language's own `Intl` rules.
 */
import { IntlMessageFormat } from 'intl-messageformat';

import cs from './i18n/cs.json';
import en from './i18n/en.json';
import tr from './i18n/tr.json';

export const languages = { en: 'English', cs: 'Čeština', tr: 'Türkçe' } as const;
export type Language = keyof typeof languages;
export type MessageKey = keyof typeof en;

const catalogues: Record<Language, Record<string, string>> = { en, cs, tr };
const STORAGE = 'console.language';

function pick(): Language {
    const stored = localStorage.getItem(STORAGE);
    if (stored !== null && stored in languages) return stored as Language;
    for (const tag of navigator.languages ?? [navigator.language]) {
        const base = tag.toLowerCase().split('-')[0] ?? '';
        if (base in languages) return base as Language;
    }
    return 'en';
}

let current: Language = pick();
const listeners = new Set<() => void>();
const compiled = new Map<string, IntlMessageFormat>();

export function language(): Language {
    return current;
}

export function setLanguage(lang: Language): void {
    current = lang;
    localStorage.setItem(STORAGE, lang);
    document.documentElement.lang = lang;
    for (const listener of listeners) listener();
}

export function onLanguageChange(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

/** The message `key` in the current language (English when a catalogue lacks it; a test keeps them complete). */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
    const id = `${current}\u0000${key}`;
    let format = compiled.get(id);
    if (format === undefined) {
        const source = catalogues[current][key] ?? en[key] ?? key;
        format = new IntlMessageFormat(source, current);
        compiled.set(id, format);
    }
    return String(format.format(values));
}

/** A label for a code the API sends (`status.delivered`, `action.contact-me`), or the code itself when unknown. */
export function label(group: string, code: string | undefined): string {
    if (code === undefined || code === '') return '—';
    const key = `${group}.${code}`;
    return key in en ? t(key as MessageKey) : code;
}

const dateTimes = new Map<string, Intl.DateTimeFormat>();
function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const id = `${current}${JSON.stringify(options)}`;
    let f = dateTimes.get(id);
    if (f === undefined) {
        f = new Intl.DateTimeFormat(current, options);
        dateTimes.set(id, f);
    }
    return f;
}

export function formatDateTime(iso: string | undefined): string {
    if (iso === undefined) return '—';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatDay(day: string): string {
    const d = new Date(`${day}T00:00:00Z`);
    return dateFormat({ day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
}

export function formatNumber(n: number | undefined): string {
    return n === undefined ? '—' : new Intl.NumberFormat(current).format(n);
}

/** A duration in the largest unit that keeps it readable (`45 s`, `3 min`, `2 h`, `4 d`), per locale. */
export function formatDuration(ms: number | undefined): string {
    if (ms === undefined) return '—';
    const units: [Intl.NumberFormatOptions['unit'], number][] = [
        ['day', 86_400_000],
        ['hour', 3_600_000],
        ['minute', 60_000],
        ['second', 1000],
    ];
    for (const [unit, size] of units) {
        if (ms >= size || unit === 'second') {
            const value = ms / size;
            return new Intl.NumberFormat(current, {
                style: 'unit',
                unit,
                unitDisplay: 'short',
                maximumFractionDigits: value < 10 ? 1 : 0,
            }).format(value);
        }
    }
    return String(ms);
}
