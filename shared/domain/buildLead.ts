/**
 * Turns the fields found in either channel into a `Lead`. Both parsers feed it the same shape, so a callback and
 * the table row of the same lead are normalised, flagged and keyed identically.
 */
import { countryCodeOf } from './country';
import { parseDescription } from './description';
import { classifyEmailDomain, MAX_DOMAIN_LENGTH } from './emailDomain';
import type { Lead, LeadChannel, LeadContact, LeadFieldProblem, MarketplaceTableKey } from './Lead';
import { keyMaterialOf, leadKeyOf, personKeyOf, timeBucketOf } from './leadKey';
import { actionMeaningOf, parseLeadSource } from './leadSource';
import { phoneToE164 } from './phone';
import { capField, normaliseEmail, presentText } from './text';

export type ContactField = 'firstName' | 'lastName' | 'email' | 'phone' | 'country' | 'company' | 'title';
export const contactFields: readonly ContactField[] = [
    'firstName',
    'lastName',
    'email',
    'phone',
    'country',
    'company',
    'title',
];

export interface RawLeadInput {
    channel: LeadChannel;
    receivedAt: string;
    createdTime?: string;
    contact: Partial<Record<ContactField, unknown>>;
    leadSource?: unknown;
    actionCode?: unknown;
    offerTitle?: unknown;
    description?: unknown;
    productId?: unknown;
    tableKey?: MarketplaceTableKey;
    unknownKeys: string[];
    problems: LeadFieldProblem[];
}

const TEST_MARKER = /MSFT_TEST_/iu;

/** A string (or number) field; anything else is recorded as a problem and treated as absent. */
function text(value: unknown, field: string, problems: LeadFieldProblem[]): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' || typeof value === 'number') return presentText(value);
    problems.push({ field, problem: `expected a string, got ${Array.isArray(value) ? 'array' : typeof value}` });
    return undefined;
}

/**
 * The matching form and the domain after the last `@`, trailing dots dropped (`contoso.com.`). A domain longer than a
 * DNS name can be is no domain: the address cannot be reached, and a 100,000-label name must cost nothing more.
 */
function emailParts(email: string | undefined): { normalised?: string; domain?: string } {
    if (email === undefined) return {};
    const normalised = normaliseEmail(email);
    const at = normalised.lastIndexOf('@');
    let end = normalised.length;
    // A loop, not /\.+$/: that regex backtracks over every dot run that is not at the end (quadratic).
    while (end > at + 1 && normalised.charCodeAt(end - 1) === 0x2e) end--;
    if (at <= 0 || end === at + 1 || end - at - 1 > MAX_DOMAIN_LENGTH) return { normalised };
    return { normalised, domain: normalised.slice(at + 1, end) };
}

export function buildLead(input: RawLeadInput): Lead {
    const problems = input.problems;
    const truncated: Record<string, number> = {};
    const original: Partial<Record<ContactField, string>> = {};
    for (const f of contactFields) {
        const v = text(input.contact[f], `contact.${f}`, problems);
        if (v !== undefined) original[f] = v;
    }
    const leadSource = text(input.leadSource, 'leadSource', problems);
    const actionCode = text(input.actionCode, 'actionCode', problems);
    const offerTitle = text(input.offerTitle, 'offerTitle', problems);
    const description =
        typeof input.description === 'string' ? input.description : text(input.description, 'description', problems);
    const productId = text(input.productId, 'productId', problems);

    const { normalised: emailNormalised, domain } = emailParts(original.email);
    const emailDomainClass = classifyEmailDomain(domain);
    const contact: LeadContact = { emailDomainClass };
    for (const f of contactFields) {
        const v = original[f];
        if (v !== undefined) contact[f] = capField(v, `contact.${f}`, truncated);
    }
    if (emailNormalised !== undefined)
        contact.emailNormalised = capField(emailNormalised, 'contact.emailNormalised', truncated);
    if (domain !== undefined) contact.emailDomain = domain;
    const countryCode = countryCodeOf(original.country);
    if (countryCode !== undefined) contact.countryCode = countryCode;
    const e164 = phoneToE164(original.phone, countryCode);
    if (e164 !== undefined) contact.phoneE164 = e164;

    const source = parseLeadSource(
        leadSource === undefined ? undefined : capField(leadSource, 'source.raw', truncated),
    );
    const code = actionCode ?? source.info.actionToken;
    const parsedDescription = parseDescription(description);
    const cappedDescription =
        description === undefined ? undefined : capField(description, 'description.raw', truncated);

    const hasEmail = domain !== undefined;
    const testField = findTestMarker(original, description);
    const keyMaterial = keyMaterialOf({ ...original, offerTitle, leadSource, actionCode: code, description });

    const lead: Lead = {
        leadKey: leadKeyOf(keyMaterial, timeBucketOf(input.receivedAt)),
        channel: input.channel,
        receivedAt: input.receivedAt,
        contact,
        source: source.info,
        action: { meaning: actionMeaningOf(code) },
        offer: {},
        description: {},
        flags: {
            isTest: testField !== undefined,
            missingContact: !hasEmail && original.phone === undefined,
            isEducation: emailDomainClass === 'education',
        },
        unknownKeys: input.unknownKeys,
        truncatedFields: truncated,
        keyMaterial,
    };
    const personKey = personKeyOf(hasEmail ? emailNormalised : undefined, offerTitle, source.info.offerRef);
    if (personKey !== undefined) lead.personKey = personKey;
    if (input.createdTime !== undefined) lead.createdTime = input.createdTime;
    if (code !== undefined) lead.action.code = capField(code, 'action.code', truncated);
    if (offerTitle !== undefined) lead.offer.title = capField(offerTitle, 'offer.title', truncated);
    if (source.publisherId !== undefined) lead.offer.publisherId = source.publisherId;
    if (source.offerId !== undefined) lead.offer.offerId = source.offerId;
    if (productId !== undefined) lead.offer.productId = capField(productId, 'offer.productId', truncated);
    if (cappedDescription !== undefined) lead.description.raw = cappedDescription;
    if (parsedDescription.notes !== undefined)
        lead.description.notes = capField(parsedDescription.notes, 'description.notes', truncated);
    if (parsedDescription.campaign !== undefined) lead.description.campaign = parsedDescription.campaign;
    if (testField !== undefined) lead.flags.testMarker = `MSFT_TEST_ in ${testField}`;
    if (input.tableKey !== undefined) lead.tableKey = input.tableKey;
    if (problems.length > 0) lead.problems = problems;
    return lead;
}

function findTestMarker(
    contact: Partial<Record<ContactField, string>>,
    description: string | undefined,
): string | undefined {
    for (const f of ['firstName', 'lastName', 'company', 'title'] as const) {
        const v = contact[f];
        if (v !== undefined && TEST_MARKER.test(v)) return `contact.${f}`;
    }
    const email = contact.email;
    if (email !== undefined) {
        const at = email.lastIndexOf('@');
        if (TEST_MARKER.test(at < 0 ? email : email.slice(0, at))) return 'contact.email';
    }
    if (description !== undefined && TEST_MARKER.test(description)) return 'description';
    return undefined;
}
