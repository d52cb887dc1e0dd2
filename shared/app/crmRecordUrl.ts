import type { TargetConfig } from '../domain/index';
import { resolveSettings } from '../settingReferences';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

/**
 * Where a person opens the CRM record a delivery created, when the target's settings say enough: a Dynamics 365
 * lead opens at `<environmentUrl>/main.aspx?pagetype=entityrecord&etn=lead&id=<id>` (learn.microsoft.com, "Open
 * forms, views, dialogs, and reports with a URL"). Other CRMs need an account detail the configuration does not hold
 * (HubSpot's portal id, Salesforce's instance, Marketo's pod), so their record id is shown without a link.
 */
export function crmRecordUrl(
    target: TargetConfig | undefined,
    externalId: string | undefined,
    setting: (name: string) => string | undefined,
): string | undefined {
    if (target === undefined || externalId === undefined) return undefined;
    if (target.type !== 'dynamics365' || !guid.test(externalId)) return undefined;
    const environmentUrl = resolveSettings(target.options, setting).options.environmentUrl;
    if (typeof environmentUrl !== 'string') return undefined;
    let base: URL;
    try {
        base = new URL(environmentUrl);
    } catch {
        return undefined;
    }
    if (base.protocol !== 'https:') return undefined;
    const url = new URL('/main.aspx', base.origin);
    url.search = new URLSearchParams({ pagetype: 'entityrecord', etn: 'lead', id: externalId }).toString();
    return url.toString();
}
