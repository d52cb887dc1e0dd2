import type { CrmProfile } from '../crmKit/CrmTarget';
import type { FieldMapping } from '../crmKit/fieldMapping';

/** Standard `Lead` fields. `LastName` and `Company` are required by Salesforce, hence the fallbacks. */
export const salesforceDefaultMapping: FieldMapping = {
    FirstName: 'firstName',
    LastName: 'lastName ?? =(not provided)',
    Email: 'email',
    Phone: 'phone',
    Company: 'company ?? =(not provided)',
    Title: 'title',
    Country: 'country',
    LeadSource: '=Web',
    Description: 'summary',
};

export const salesforceProfile: CrmProfile = {
    logName: 'salesforce',
    defaultMapping: salesforceDefaultMapping,
    credentialName: 'Salesforce credential',
};

/** Web-to-Lead form fields, the ones the marketplace's own Salesforce connector sends. */
export const webToLeadDefaultMapping: FieldMapping = {
    first_name: 'firstName',
    last_name: 'lastName',
    email: 'email',
    company: 'company',
    title: 'title',
    phone: 'phone',
    country: 'country',
    description: 'summary',
    lead_source: 'source',
};

export const defaultLoginUrl = 'https://login.salesforce.com';
export const defaultApiVersion = '62.0';
export const defaultWebToLeadUrl = 'https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8';
