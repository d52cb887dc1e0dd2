import type { QualityMapping } from '../crmKit/crmOptions';
import type { CrmProfile } from '../crmKit/CrmTarget';
import type { FieldMapping } from '../crmKit/fieldMapping';

/**
 * HubSpot's default contact properties (internal names). Offer, action, score and grade have no default property;
 * they go into the note, and `mapping` can send them to custom properties (e.g. `"marketplace_grade": "grade"`).
 */
export const hubspotDefaultMapping: FieldMapping = {
    email: 'email',
    firstname: 'firstName',
    lastname: 'lastName',
    phone: 'phone',
    company: 'company',
    jobtitle: 'title',
    country: 'country',
};

/**
 * Written only when the upsert created the contact: the lead status and lifecycle stage are the sales team's once the
 * contact exists (a returning person must not be reset to NEW). The values are HubSpot's default options of
 * `hs_lead_status` and `lifecyclestage` (CRM properties "Default contact properties"); portals that changed them set
 * `createProperties` and `quality`.
 */
export const hubspotDefaultCreateProperties: Readonly<Record<string, string>> = { hs_lead_status: 'NEW' };

/** The grade as the new contact's lifecycle stage (default stages): A sales-qualified, B marketing-qualified. */
export const hubspotDefaultQuality: QualityMapping = {
    field: 'lifecyclestage',
    values: { A: 'salesqualifiedlead', B: 'marketingqualifiedlead', C: 'lead', D: 'lead' },
};

/**
 * HubSpot stores at most 65,536 characters in a note body (Notes guide: "hs_note_body: The note's text content,
 * limited to 65,536 characters") and in a text property value.
 */
export const hubspotTextLimit = 65_536;

/** Note → contact, HubSpot-defined association type. */
export const noteToContactAssociationTypeId = 202;
export const defaultHubSpotBaseUrl = 'https://api.hubapi.com';

export const hubspotProfile: CrmProfile = {
    logName: 'hubspot',
    defaultMapping: hubspotDefaultMapping,
    credentialName: 'private app token',
};
