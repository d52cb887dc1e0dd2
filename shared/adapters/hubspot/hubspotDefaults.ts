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

/** Note → contact, HubSpot-defined association type. */
export const noteToContactAssociationTypeId = 202;
export const defaultHubSpotBaseUrl = 'https://api.hubapi.com';

export const hubspotProfile: CrmProfile = {
    logName: 'hubspot',
    defaultMapping: hubspotDefaultMapping,
    credentialName: 'private app token',
};
