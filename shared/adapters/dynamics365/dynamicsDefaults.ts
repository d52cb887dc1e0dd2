import type { CrmProfile } from '../crmKit/CrmTarget';
import type { FieldMapping } from '../crmKit/fieldMapping';

/** Dataverse `lead` columns (logical names). Offer, action, source, campaign, score and grade go into the description. */
export const dynamicsDefaultMapping: FieldMapping = {
    firstname: 'firstName',
    lastname: 'lastName ?? =(not provided)',
    emailaddress1: 'email',
    telephone1: 'phone',
    companyname: 'company',
    jobtitle: 'title',
    address1_country: 'country',
    subject: 'offer ?? =Azure Marketplace lead',
    description: 'summary',
};

export const dynamicsProfile: CrmProfile = {
    logName: 'dataverse',
    defaultMapping: dynamicsDefaultMapping,
    credentialName: 'Dataverse credential',
};

/** `leadsourcecode` option-set value: 8 is "Web" in a standard Dataverse org. */
export const defaultLeadSourceCode = 8;
export const dataverseApiPath = '/api/data/v9.2';
