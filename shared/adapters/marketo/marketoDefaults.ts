import type { CrmProfile } from '../crmKit/CrmTarget';
import type { FieldMapping } from '../crmKit/fieldMapping';

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
    leadSource: '=Azure Marketplace',
};

export const marketoProfile: CrmProfile = {
    logName: 'marketo',
    defaultMapping: marketoDefaultMapping,
    credentialName: 'Marketo client secret',
};
