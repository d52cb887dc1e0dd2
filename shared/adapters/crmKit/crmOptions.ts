import type { Lead } from '../../domain/index';
import type { OptionsReader } from './OptionsReader';

/** How a CRM records the lead's grade: the column, and the CRM's value for each grade. */
export interface QualityMapping {
    field: string;
    values: Readonly<Record<string, string | number>>;
}

/**
 * The `quality` option: `{ "field": "...", "values": { "A": …, "B": …, "C": …, "D": … } }` replaces the CRM's default
 * (either part may be given alone), `false` turns it off. A grade without a value writes nothing.
 */
export function readQuality(read: OptionsReader, options: Record<string, unknown>, defaults?: QualityMapping) {
    const raw = options.quality;
    if (raw === false || raw === 'false') return undefined;
    if (raw === undefined || raw === null) return defaults;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
        read.add('quality', 'must be an object { field, values } or false');
        return defaults;
    }
    const given = raw as { field?: unknown; values?: unknown };
    const field = given.field ?? defaults?.field;
    if (typeof field !== 'string' || !/^[\w.@-]+$/u.test(field)) {
        read.add('quality.field', 'must be the name of a field');
        return defaults;
    }
    const values = given.values === undefined ? defaults?.values : readValues(read, given.values);
    return { field, values: values ?? {} };
}

function readValues(read: OptionsReader, raw: unknown): Record<string, string | number> | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        read.add('quality.values', 'must be an object of grade → value');
        return undefined;
    }
    const values: Record<string, string | number> = {};
    for (const [grade, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) values[grade] = value;
        else read.add(`quality.values.${grade}`, 'must be a string or a number');
    }
    return values;
}

/** The grade's value in the CRM, or undefined (no mapping, or none for this grade). */
export const qualityValue = (quality: QualityMapping | undefined, grade: string): string | number | undefined =>
    quality?.values[grade];

/**
 * The CRM id configured for the lead's campaign (`campaigns`: campaign id → CRM id), trying the marketplace's
 * `mktcmpid` first, then `utm_campaign`. A campaign with no entry gives undefined: it never fails a delivery.
 */
export function campaignFor(
    lead: Lead,
    campaigns: Readonly<Record<string, string | number>> | undefined,
): { campaign: string; crmId: string } | undefined {
    if (campaigns === undefined) return undefined;
    const c = lead.description.campaign;
    for (const campaign of [c?.mktcmpid, c?.utmCampaign]) {
        if (campaign === undefined || campaign === '') continue;
        const crmId = Object.hasOwn(campaigns, campaign) ? campaigns[campaign] : undefined;
        if (crmId !== undefined) return { campaign, crmId: String(crmId) };
    }
    return undefined;
}
