import type { TargetConfig } from '../../domain/index';
import type { RecordEraser } from '../../ports/RecordEraser';
import type { TargetDeps } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { eraseEach } from '../erasure/recordOutcome';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { defaultHubSpotBaseUrl } from './hubspotDefaults';
import { hubspotError } from './hubspotErrors';

/** HubSpot object ids are numbers. */
const CONTACT_ID = /^\d{1,20}$/u;

/**
 * Erases the person's contact with HubSpot's GDPR delete (`POST /crm/v3/objects/contacts/gdpr-delete`, body
 * `{ objectId }`, 204 No Content; scope `crm.objects.contacts.write`): it permanently deletes the contact and the
 * activity associated only with it, the pipeline's notes included, where a plain delete would keep it restorable
 * for 90 days (developers.hubspot.com, "Permanently delete a contact (GDPR-compliant)"; knowledge.hubspot.com,
 * "Understand restorable and permanent contact deletions"). The contact is named by the id HubSpot returned, never
 * by email: an email that matches no contact would be put on HubSpot's blocklist. A contact already gone answers
 * 404 (absent). HubSpot still accepts the address from the API afterwards, so a new lead of the person is delivered.
 */
export function createHubSpotEraser(name: string, config: TargetConfig, deps: TargetDeps): RecordEraser {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const token = read.string('token');
    const baseUrl = read.url('baseUrl', { optional: true, default: defaultHubSpotBaseUrl })!;
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    read.done();
    const http = new TargetHttp(deps, name, budgetFor(config), timeoutMs);
    return {
        target: name,
        type: 'hubspot',
        erase: (recordIds) =>
            eraseEach(recordIds, CONTACT_ID, name, async (objectId) => {
                const response = await http.send({
                    method: 'POST',
                    url: `${baseUrl}/crm/v3/objects/contacts/gdpr-delete`,
                    headers: { authorization: `Bearer ${token}` },
                    body: { objectId },
                });
                if (response.status === 204 || response.status === 200) return 'erased';
                if (response.status === 404) return 'absent';
                throw hubspotError(name, response, deps.now());
            }),
    };
}
