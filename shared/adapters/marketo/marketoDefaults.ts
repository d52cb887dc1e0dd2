import type { CrmProfile } from '../crmKit/CrmTarget';
import type { FieldMapping } from '../crmKit/fieldMapping';
import type { FieldLengths } from '../crmKit/fitToLength';

/**
 * Marketo standard lead fields (REST API names). Offer, action, campaign, score and grade have no standard field:
 * map them to custom fields created in Marketo (e.g. `"marketplaceGrade": "grade"`).
 */
export const marketoDefaultMapping: FieldMapping = {
    email: 'email',
    firstName: 'firstName',
    lastName: 'lastName',
    phone: 'phone',
    company: 'company',
    title: 'title',
    country: 'country',
};

/**
 * Lengths of the standard string fields, from Describe Lead (`GET /rest/v1/leads/describe.json`, "length" of each
 * field: 255 for these in a standard instance; Leads, "Describe").
 */
export const marketoLeadLengths: FieldLengths = {
    email: 255,
    firstName: 255,
    lastName: 255,
    phone: 255,
    company: 255,
    title: 255,
    country: 255,
    leadSource: 255,
};

export const defaultMarketoLeadSource = 'Azure Marketplace';

export const marketoProfile: CrmProfile = {
    logName: 'marketo',
    defaultMapping: marketoDefaultMapping,
    credentialName: 'Marketo client secret',
};
