/**
 * The normalised marketplace lead. Plain JSON (no classes, no Dates) so it can travel through Service Bus and
 * Durable Functions unchanged. Original Unicode is kept in every text field; normalised forms are only for matching.
 */

/** How the lead reached us. */
export type LeadChannel = 'https' | 'table';

/** Where the customer acted, parsed from `LeadSource` (`SPZA` is AppSource). Unknown values are kept as `Other`. */
export type LeadSourceKind = 'AzureMarketplace' | 'AzurePortal' | 'AppSource' | 'TestDrive' | 'Other' | 'Unknown';

/** What the customer did, from `ActionCode`. The set is open: an unknown code is kept with meaning `unknown`. */
export type ActionMeaning =
    | 'install' // INS: "Get it now"
    | 'contact-me' // PLT: partner-led trial / Contact me
    | 'do-not-contact' // DNC: notify, never reach out
    | 'create' // Create: Azure portal purchase
    | 'test-drive' // StartTestDrive
    | 'free-trial'
    | 'unknown';

export type EmailDomainClass = 'corporate' | 'free' | 'disposable' | 'education' | 'none';

export interface LeadContact {
    firstName?: string;
    lastName?: string;
    email?: string;
    /** Lower-cased, NFKC-normalised, trimmed email: the matching form. */
    emailNormalised?: string;
    emailDomain?: string;
    emailDomainClass: EmailDomainClass;
    phone?: string;
    /** E.164 form when it can be derived from the text and country. */
    phoneE164?: string;
    /** The country text as sent. */
    country?: string;
    /** ISO 3166-1 alpha-2 when the text is recognisable. */
    countryCode?: string;
    company?: string;
    title?: string;
}

export interface LeadSourceInfo {
    /** The `LeadSource` string exactly as sent. */
    raw?: string;
    kind: LeadSourceKind;
    /** The source part as sent (e.g. `SPZA`). */
    sourceToken?: string;
    /** The action part of `Source-Action|Offer`, when present. */
    actionToken?: string;
    /** The offer part of `Source-Action|Offer`, when present (e.g. `bitnami.openedxcypress`). */
    offerRef?: string;
}

export interface LeadAction {
    /** The action code exactly as sent (from `ActionCode`, else from `LeadSource`). */
    code?: string;
    meaning: ActionMeaning;
}

export interface LeadOffer {
    /** `OfferTitle` (HTTPS) or `OfferDisplayName` (table). */
    title?: string;
    /** Publisher id from `publisher.offer` in `LeadSource`. */
    publisherId?: string;
    /** Offer id from `publisher.offer` in `LeadSource`. */
    offerId?: string;
    /** `ProductId` (table rows only). */
    productId?: string;
}

export interface LeadCampaign {
    /** Marketplace campaign id (`mktcmpid`). */
    mktcmpid?: string;
    utmSource?: string;
    utmMedium?: string;
    utmCampaign?: string;
    utmTerm?: string;
    utmContent?: string;
    /** Every query parameter found in the description, as strings. */
    params: Record<string, string>;
}

export interface LeadDescription {
    /** `Description` exactly as sent (capped, see `truncatedFields`). */
    raw?: string;
    /** Free-text notes, when the description is not campaign JSON. */
    notes?: string;
    campaign?: LeadCampaign;
}

export interface LeadFlags {
    /** `MSFT_TEST_` found in a name, company, title, description or the email local part. */
    isTest: boolean;
    /** The marker that identified the test lead, if any. */
    testMarker?: string;
    /** No email and no phone: cannot be contacted (typical of `.edu` leads). */
    missingContact: boolean;
    /** Email domain is a school or university. */
    isEducation: boolean;
}

export interface MarketplaceTableKey {
    partitionKey: string;
    rowKey: string;
}

/** A field that was present but unusable (wrong type, invalid JSON): its name and a short reason, never its value. */
export interface LeadFieldProblem {
    field: string;
    problem: string;
}

export interface Lead {
    /** Deterministic transport key: the same lead (same callback twice, or callback + table row) gets the same key. */
    leadKey: string;
    /** Groups one person's journey on one offer (hash of normalised email + offer); absent without an email. */
    personKey?: string;
    channel: LeadChannel;
    /** ISO timestamp when the intake received it (HTTPS) or when the marketplace wrote it (table). */
    receivedAt: string;
    /** `CreatedTime` of a table row, as sent. */
    createdTime?: string;
    contact: LeadContact;
    source: LeadSourceInfo;
    action: LeadAction;
    offer: LeadOffer;
    description: LeadDescription;
    flags: LeadFlags;
    /** Natural key of a `MarketplaceLeads` row. */
    tableKey?: MarketplaceTableKey;
    /** Keys present in the payload that the parser does not know (names only, never values). */
    unknownKeys: string[];
    /** Fields cut to the storage cap, with their original length in characters. */
    truncatedFields: Record<string, number>;
    /** Present-but-unusable fields (names and reasons only). */
    problems?: LeadFieldProblem[];
    /**
     * Hex digest of the normalised content the lead key is made of (without the time bucket), so
     * `leadKeyCandidates` can derive the neighbouring buckets' keys from a stored lead even when fields were capped.
     */
    keyMaterial?: string;
}
