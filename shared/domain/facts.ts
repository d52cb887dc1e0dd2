/**
 * The facts every JsonLogic condition in `config/pipeline.json` sees: a flat object derived once per lead, then
 * extended by qualification (stage 2) and scoring (stage 3). docs/pipeline-config.md lists and explains each one.
 */
import { companyLegalFormOf } from './companyLegalForm';
import type { QualificationOutcome } from './Decision';
import type { Lead } from './Lead';
import { regionOf } from './region';
import { normaliseForMatch } from './text';
import { titleSeniorityOf } from './titleSeniority';

export interface LeadFacts {
    channel: string;
    /** Action meaning: install, contact-me, do-not-contact, create, test-drive, free-trial, unknown. */
    action: string;
    /** The action code as sent, upper-cased (`INS`, `PLT`, `CREATE`, …), or "". */
    actionCode: string;
    /** Source kind: AzureMarketplace, AzurePortal, AppSource, TestDrive, Other, Unknown. */
    source: string;
    emailDomain: string;
    emailDomainClass: string;
    countryCode: string;
    region: string;
    titleSeniority: string;
    /** The title as sent, in its matching form (lower-case, NFKC, trimmed; first 500 characters), or "". */
    title: string;
    hasEmail: boolean;
    hasPhone: boolean;
    hasCompany: boolean;
    /** The company name ends or starts with a registered legal form (`s.r.o.`, `A.Ş.`, `GmbH`, `Ltd`, …). */
    hasCompanyLegalForm: boolean;
    /** That form's letters, lower-case, without dots and spaces (`sro`, `as`, `ltdsti`, `gmbh`), or "". */
    companyLegalForm: string;
    hasName: boolean;
    hasTitle: boolean;
    missingContact: boolean;
    isEducation: boolean;
    isTest: boolean;
    /** No contact field, no `LeadSource` and no offer at all (a `{}` body): nothing to deliver. */
    isBlank: boolean;
    publisherId: string;
    offerId: string;
    /** Offer title, normalised (lower-case, NFKC, trimmed). */
    offerTitle: string;
    productId: string;
    campaignId: string;
    utmSource: string;
    utmMedium: string;
    utmCampaign: string;
    hasNotes: boolean;
    hasCampaign: boolean;
    /** Stage 2 on: the qualification outcome. */
    qualification?: QualificationOutcome;
    /** Stage 3 on: score points and grade. */
    points?: number;
    grade?: string;
}

export type FactStage = 'qualification' | 'scoring' | 'routing';

export const baseFactNames: readonly string[] = [
    'channel',
    'action',
    'actionCode',
    'source',
    'emailDomain',
    'emailDomainClass',
    'countryCode',
    'region',
    'titleSeniority',
    'title',
    'hasEmail',
    'hasPhone',
    'hasCompany',
    'hasCompanyLegalForm',
    'companyLegalForm',
    'hasName',
    'hasTitle',
    'missingContact',
    'isEducation',
    'isTest',
    'isBlank',
    'publisherId',
    'offerId',
    'offerTitle',
    'productId',
    'campaignId',
    'utmSource',
    'utmMedium',
    'utmCampaign',
    'hasNotes',
    'hasCampaign',
];

/** Which facts a condition may reference at each stage (a scoring rule cannot see the grade it helps compute). */
export const factNamesByStage: Record<FactStage, ReadonlySet<string>> = {
    qualification: new Set(baseFactNames),
    scoring: new Set([...baseFactNames, 'qualification']),
    routing: new Set([...baseFactNames, 'qualification', 'points', 'grade']),
};

const lower = (v: string | undefined): string => (v === undefined ? '' : normaliseForMatch(v));

/** A title fact longer than this is cut: rules match words in it, and a 32,000-character title is no title. */
const TITLE_FACT_CHARS = 500;

/** The marketplace's reported blank lead (`{}`, or every field empty): no contact, no `LeadSource`, no offer. */
export function isBlankLead(lead: Lead): boolean {
    const c = lead.contact;
    const noContact =
        c.firstName === undefined &&
        c.lastName === undefined &&
        c.email === undefined &&
        c.phone === undefined &&
        c.country === undefined &&
        c.company === undefined &&
        c.title === undefined;
    const noOffer =
        lead.offer.title === undefined &&
        lead.offer.productId === undefined &&
        lead.offer.publisherId === undefined &&
        lead.source.offerRef === undefined;
    return noContact && noOffer && lead.source.raw === undefined;
}

export function leadFacts(lead: Lead): LeadFacts {
    const c = lead.contact;
    const campaign = lead.description.campaign;
    const legalForm = companyLegalFormOf(c.company);
    return {
        channel: lead.channel,
        action: lead.action.meaning,
        actionCode: (lead.action.code ?? '').trim().toUpperCase(),
        source: lead.source.kind,
        emailDomain: c.emailDomain ?? '',
        emailDomainClass: c.emailDomainClass,
        countryCode: c.countryCode ?? '',
        region: regionOf(c.countryCode),
        titleSeniority: titleSeniorityOf(c.title),
        title: c.title === undefined ? '' : normaliseForMatch(c.title.slice(0, TITLE_FACT_CHARS)),
        hasEmail: c.emailDomain !== undefined,
        hasPhone: c.phone !== undefined,
        hasCompany: c.company !== undefined,
        hasCompanyLegalForm: legalForm !== undefined,
        companyLegalForm: legalForm ?? '',
        hasName: c.firstName !== undefined || c.lastName !== undefined,
        hasTitle: c.title !== undefined,
        missingContact: lead.flags.missingContact,
        isEducation: lead.flags.isEducation,
        isTest: lead.flags.isTest,
        isBlank: isBlankLead(lead),
        publisherId: lower(lead.offer.publisherId),
        offerId: lower(lead.offer.offerId),
        offerTitle: lower(lead.offer.title),
        productId: lower(lead.offer.productId),
        campaignId: campaign?.mktcmpid ?? '',
        utmSource: lower(campaign?.utmSource),
        utmMedium: lower(campaign?.utmMedium),
        utmCampaign: lower(campaign?.utmCampaign),
        hasNotes: lead.description.notes !== undefined,
        hasCampaign: campaign !== undefined,
    };
}
