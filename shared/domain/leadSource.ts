/**
 * `LeadSource` is `Source-Action|Offer` (e.g. `SPZA-PLT|contoso.contoso-analytics`), a bare source
 * (`AzureMarketplace`) or free text. The raw string is always kept; the parts are derived only when they parse.
 */
import type { ActionMeaning, LeadSourceInfo, LeadSourceKind } from './Lead';

const kinds: Record<string, LeadSourceKind> = {
    azuremarketplace: 'AzureMarketplace',
    azureportal: 'AzurePortal',
    spza: 'AppSource',
    appsource: 'AppSource',
    testdrive: 'TestDrive',
};

/**
 * The offer part is everything after the `|`, trimmed afterwards: a lazy `\|\s*(.*?)\s*$` retries the trailing
 * `\s*$` at every position, which is quadratic for `SPZA|x` + 250,000 spaces + `x` (2 s at the body limit).
 */
const structured = /^\s*([A-Za-z][A-Za-z0-9]*)(?:-([A-Za-z][A-Za-z0-9]*))?\s*(?:\|(.*))?$/su;
const publisherOffer = /^([a-z0-9][a-z0-9_-]*)\.([a-z0-9][a-z0-9._-]*)$/iu;

export interface ParsedLeadSource {
    info: LeadSourceInfo;
    publisherId?: string;
    offerId?: string;
}

export function parseLeadSource(raw: string | undefined): ParsedLeadSource {
    if (raw === undefined) return { info: { kind: 'Unknown' } };
    const m = structured.exec(raw);
    if (m === null) return { info: { raw, kind: 'Other' } };
    const [, sourceToken = '', actionToken, rawOffer] = m;
    const offerRef = rawOffer?.trim();
    const info: LeadSourceInfo = { raw, kind: kinds[sourceToken.toLowerCase()] ?? 'Other', sourceToken };
    if (actionToken !== undefined) info.actionToken = actionToken;
    if (offerRef !== undefined && offerRef !== '') info.offerRef = offerRef;
    const po = offerRef === undefined ? null : publisherOffer.exec(offerRef);
    if (po?.[1] !== undefined && po[2] !== undefined) return { info, publisherId: po[1], offerId: po[2] };
    return { info };
}

/** Action codes by their letters only, so `Start Test Drive`, `start-test-drive` and `StartTestDrive` agree. */
const meanings: Record<string, ActionMeaning> = {
    ins: 'install',
    install: 'install',
    getitnow: 'install',
    plt: 'contact-me',
    contactme: 'contact-me',
    dnc: 'do-not-contact',
    donotcontact: 'do-not-contact',
    create: 'create',
    subscribe: 'create',
    purchase: 'create',
    starttestdrive: 'test-drive',
    testdrive: 'test-drive',
    freetrial: 'free-trial',
    starttrial: 'free-trial',
    startfreetrial: 'free-trial',
    trial: 'free-trial',
};

export function actionMeaningOf(code: string | undefined): ActionMeaning {
    if (code === undefined) return 'unknown';
    return meanings[code.toLowerCase().replace(/[^a-z]/gu, '')] ?? 'unknown';
}
