/**
 * The delivery lifecycle, one module: the lead and delivery records with their statuses (`LeadRecord`), who may
 * deliver a target and when a claim is abandoned (`deliveryClaims`), and what the rows and the lead status become
 * at each step (`deliveryRows`). The use cases in `shared/app` read and commit the rows; these decide.
 */
export * from './deliveryClaims';
export * from './deliveryRows';
export * from './LeadRecord';
