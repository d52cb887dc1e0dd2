import type { QualityMapping } from '../crmKit/crmOptions';
import type { CrmProfile } from '../crmKit/CrmTarget';
import type { FieldMapping } from '../crmKit/fieldMapping';
import type { FieldLengths } from '../crmKit/fitToLength';

/**
 * Standard `Lead` fields. `LastName` and `Company` are required by Salesforce, hence the fallbacks. The country goes
 * to `CountryCode` (the ISO code): with State and Country/Territory Picklists (on in new orgs) `Country` only takes
 * the picklist's integration value, a full name; orgs without picklists set `countryField: "Country"`.
 */
export const salesforceDefaultMapping: FieldMapping = {
    FirstName: 'firstName',
    LastName: 'lastName ?? =(not provided)',
    Email: 'email',
    Phone: 'phone',
    Company: 'company ?? =(not provided)',
    Title: 'title',
    CountryCode: 'countryCode',
    Description: 'summary',
};

/**
 * Field lengths of a standard org's `Lead` (sObject Describe, `length` of each field; the Lead object reference names
 * the fields, Describe gives their sizes): FirstName 40, LastName 80, Company 255, Email 80, Phone 40, Title 128,
 * Country 80, LeadSource 255 (picklist), Description 32,000 (Long Text Area). A longer value is refused with
 * `STRING_TOO_LONG`.
 */
export const salesforceLeadLengths: FieldLengths = {
    FirstName: 40,
    LastName: 80,
    Company: 255,
    Email: 80,
    Phone: 40,
    Title: 128,
    Country: 80,
    LeadSource: 255,
    Description: 32_000,
};

/** `Task` (Object Reference, Task): Subject 255, Description 32,000 (Long Text Area, 32 KB). */
export const salesforceTaskLengths: FieldLengths = { Subject: 255, Description: 32_000 };

/** `Rating` picklist of `Lead` (Object Reference, Lead): Hot, Warm, Cold. */
export const salesforceDefaultQuality: QualityMapping = {
    field: 'Rating',
    values: { A: 'Hot', B: 'Warm', C: 'Cold', D: 'Cold' },
};

export const salesforceProfile: CrmProfile = {
    logName: 'salesforce',
    defaultMapping: salesforceDefaultMapping,
    credentialName: 'Salesforce credential',
};

/**
 * Web-to-Lead form fields, as Salesforce's generated form names them (Setup → Web-to-Lead → Create Web-to-Lead
 * Form): `first_name`, `last_name`, `email`, `company`, `title`, `phone`, `country`, `description`, `lead_source`;
 * the hidden `oid` (the org id) is added by the target. `last_name` and `company` are required on every Lead.
 */
export const webToLeadDefaultMapping: FieldMapping = {
    first_name: 'firstName',
    last_name: 'lastName ?? =(not provided)',
    email: 'email',
    company: 'company ?? =(not provided)',
    title: 'title',
    phone: 'phone',
    country: 'country',
    description: 'summary',
};

/** Hosts of the shared login endpoints; the client-credentials flow is refused on them ("request not supported on this domain"). */
export const sharedLoginHosts: readonly string[] = ['login.salesforce.com', 'test.salesforce.com'];
export const productionAudience = 'https://login.salesforce.com';
export const sandboxAudience = 'https://test.salesforce.com';
export const defaultLoginUrl = productionAudience;
export const defaultApiVersion = '62.0';
export const defaultLeadSource = 'Web';
export const defaultWebToLeadUrl = 'https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8';
