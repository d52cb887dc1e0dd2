import type { DeliveryOwner, Lead, LeadDecision } from '../../domain/index';

/**
 * The flat field names a mapping may use (besides `lead.<path>` and `decision.<path>`). They are the marketplace
 * fields a publisher thinks in, already normalised by the intake.
 */
export const leadFieldNames = [
    'firstName',
    'lastName',
    'fullName',
    'email',
    'phone',
    'company',
    'title',
    'country',
    'countryCode',
    'offer',
    'offerId',
    'publisherId',
    'action',
    'actionMeaning',
    'source',
    'sourceKind',
    'campaign',
    'utmSource',
    'utmMedium',
    'utmCampaign',
    'description',
    'notes',
    'score',
    'grade',
    'summary',
    'leadKey',
    'personKey',
    'receivedAt',
    'isTest',
    'ownerId',
    'ownerName',
] as const;

export type LeadFieldName = (typeof leadFieldNames)[number];
export type LeadFields = Record<LeadFieldName, string | number | boolean | undefined>;

/** `owner` is the delivery's (`DeliveryRequest.owner`): `ownerId` is the person's id in this target. */
export function leadFields(lead: Lead, decision: LeadDecision, owner?: DeliveryOwner): LeadFields {
    const c = lead.contact;
    const campaign = lead.description.campaign;
    const offer = lead.offer.title ?? lead.offer.offerId ?? lead.source.offerRef;
    const fullName = [c.firstName, c.lastName].filter(Boolean).join(' ') || undefined;
    const view: LeadFields = {
        firstName: c.firstName,
        lastName: c.lastName,
        fullName,
        email: c.email,
        phone: c.phoneE164 ?? c.phone,
        company: c.company,
        title: c.title,
        country: c.countryCode ?? c.country,
        countryCode: c.countryCode,
        offer,
        offerId: lead.offer.offerId,
        publisherId: lead.offer.publisherId,
        action: lead.action.code,
        actionMeaning: lead.action.meaning,
        source: lead.source.raw,
        sourceKind: lead.source.kind,
        campaign: campaign?.mktcmpid ?? campaign?.utmCampaign,
        utmSource: campaign?.utmSource,
        utmMedium: campaign?.utmMedium,
        utmCampaign: campaign?.utmCampaign,
        description: lead.description.raw,
        notes: lead.description.notes,
        score: decision.score.points,
        grade: decision.score.grade,
        summary: undefined,
        leadKey: lead.leadKey,
        personKey: lead.personKey,
        receivedAt: lead.receivedAt,
        isTest: lead.flags.isTest,
        ownerId: owner?.id,
        ownerName: owner?.displayName,
    };
    view.summary = summaryText(view);
    return view;
}

/** A readable block for CRMs without fields for offer, action, score and grade (description / notes). */
function summaryText(v: LeadFields): string {
    const lines = [
        ['Offer', v.offer],
        ['Action', v.action],
        ['Source', v.source],
        ['Campaign', v.campaign],
        ['Score', v.score],
        ['Grade', v.grade],
        ['Owner', v.ownerName],
        ['Received', v.receivedAt],
        ['Lead key', v.leadKey],
    ]
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([label, value]) => `${String(label)}: ${String(value)}`);
    if (typeof v.notes === 'string' && v.notes !== '') lines.push('', v.notes);
    return lines.join('\n');
}
