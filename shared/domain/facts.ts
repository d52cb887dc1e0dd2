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

/** The facts' public shape: the fields and getters of `DerivedFacts` below, without its private state. */
export type LeadFacts = { [K in keyof DerivedFacts]: DerivedFacts[K] };

export type FactStage = 'qualification' | 'scoring' | 'routing';

/** The facts every stage sees: all of {@link LeadFacts} but what qualification and scoring add. */
type BaseFactName = Exclude<keyof LeadFacts, 'qualification' | 'points' | 'grade'>;

export const baseFactNames = [
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
] as const satisfies readonly BaseFactName[];

/** Fails to compile when a base fact of {@link LeadFacts} is missing from {@link baseFactNames}. */
type Unlisted = Exclude<BaseFactName, (typeof baseFactNames)[number]>;
const everyBaseFactListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyBaseFactListed;

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

/**
 * The facts of one lead. The ones that cost a lookup and that few configs use (`title`, the company's legal form)
 * are getters computed on first read, so a config that never names them never pays for them.
 */
class DerivedFacts {
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
    hasEmail: boolean;
    hasPhone: boolean;
    hasCompany: boolean;
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
    qualification?: QualificationOutcome = undefined;
    /** Stage 3 on: score points and grade. */
    points?: number = undefined;
    grade?: string = undefined;
    readonly #title: string | undefined;
    readonly #company: string | undefined;
    #legalForm: string | null | undefined = null;

    constructor(lead: Lead) {
        const c = lead.contact;
        const campaign = lead.description.campaign;
        this.channel = lead.channel;
        this.action = lead.action.meaning;
        this.actionCode = (lead.action.code ?? '').trim().toUpperCase();
        this.source = lead.source.kind;
        this.emailDomain = c.emailDomain ?? '';
        this.emailDomainClass = c.emailDomainClass;
        this.countryCode = c.countryCode ?? '';
        this.region = regionOf(c.countryCode);
        this.titleSeniority = titleSeniorityOf(c.title);
        this.hasEmail = c.emailDomain !== undefined;
        this.hasPhone = c.phone !== undefined;
        this.hasCompany = c.company !== undefined;
        this.hasName = c.firstName !== undefined || c.lastName !== undefined;
        this.hasTitle = c.title !== undefined;
        this.missingContact = lead.flags.missingContact;
        this.isEducation = lead.flags.isEducation;
        this.isTest = lead.flags.isTest;
        this.isBlank = isBlankLead(lead);
        this.publisherId = lower(lead.offer.publisherId);
        this.offerId = lower(lead.offer.offerId);
        this.offerTitle = lower(lead.offer.title);
        this.productId = lower(lead.offer.productId);
        this.campaignId = campaign?.mktcmpid ?? '';
        this.utmSource = lower(campaign?.utmSource);
        this.utmMedium = lower(campaign?.utmMedium);
        this.utmCampaign = lower(campaign?.utmCampaign);
        this.hasNotes = lead.description.notes !== undefined;
        this.hasCampaign = campaign !== undefined;
        this.#title = c.title;
        this.#company = c.company;
    }

    /** The title as sent, in its matching form (lower-case, NFKC, trimmed; first 500 characters), or "". */
    get title(): string {
        return this.#title === undefined ? '' : normaliseForMatch(this.#title.slice(0, TITLE_FACT_CHARS));
    }

    private legalForm(): string | undefined {
        if (this.#legalForm === null) this.#legalForm = companyLegalFormOf(this.#company);
        return this.#legalForm;
    }

    /** The company name ends or starts with a registered legal form (`s.r.o.`, `A.Ş.`, `GmbH`, `Ltd`, …). */
    get hasCompanyLegalForm(): boolean {
        return this.legalForm() !== undefined;
    }

    /** That form's letters, lower-case, without dots and spaces (`sro`, `as`, `ltdsti`, `gmbh`), or "". */
    get companyLegalForm(): string {
        return this.legalForm() ?? '';
    }
}

export function leadFacts(lead: Lead): LeadFacts {
    return new DerivedFacts(lead);
}
