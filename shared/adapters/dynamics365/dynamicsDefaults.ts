import type { QualityMapping } from '../crmKit/crmOptions';
import type { CrmProfile } from '../crmKit/CrmTarget';
import type { FieldMapping } from '../crmKit/fieldMapping';
import type { FieldLengths } from '../crmKit/fitToLength';

/**
 * Dataverse `lead` columns (logical names). The description holds this lead's summary; every lead also adds a note
 * (annotation) with the full text, so a person's earlier leads stay readable on the record.
 */
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

/**
 * MaxLength of each default column, from the Lead table/entity reference (Dynamics 365 Sales, "Writable
 * columns/attributes": learn.microsoft.com/dynamics365/sales/developer/entities/lead). Dataverse refuses a longer
 * value (`0x80044331`, "The length of the … attribute … exceeded the maximum allowed length").
 */
export const dataverseLeadLengths: FieldLengths = {
    firstname: 50,
    lastname: 50,
    emailaddress1: 100,
    telephone1: 50,
    companyname: 100,
    jobtitle: 100,
    address1_country: 80,
    subject: 300,
    description: 2000,
};

/**
 * Note (annotation) columns, from the Note (Annotation) table/entity reference
 * (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/annotation): `subject` 500, `notetext`
 * 100,000.
 */
export const annotationLengths: FieldLengths = { subject: 500, notetext: 100_000 };

/**
 * `leadqualitycode` ("Rating") choices in the Lead table reference: 1 Hot, 2 Warm, 3 Cold. The pipeline's grades A and B
 * are hot and warm; C and D are cold.
 */
export const dynamicsDefaultQuality: QualityMapping = { field: 'leadqualitycode', values: { A: 1, B: 2, C: 3, D: 3 } };

/** `statecode` of `lead` (Lead table reference): 0 Open, 1 Qualified, 2 Disqualified. */
export const openLeadState = 0;

/** `statuscode` of an open `lead` (Lead table reference): 1 New, 2 Contacted. */
export const newLeadStatus = 1;

/** A Dataverse row id. */
export const dataverseGuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

export const dynamicsProfile: CrmProfile = {
    logName: 'dataverse',
    defaultMapping: dynamicsDefaultMapping,
    credentialName: 'Dataverse credential',
};

/** `leadsourcecode` option-set value: 8 is "Web" in the Lead table reference's LeadSourceCode choices. */
export const defaultLeadSourceCode = 8;
export const dataverseApiPath = '/api/data/v9.2';
