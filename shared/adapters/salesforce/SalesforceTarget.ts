import type { DeliveryRequest, DeliveryResult } from '../../ports/DeliveryTarget';
import { type CrmSettings, CrmTarget } from '../crmKit/CrmTarget';
import type { MappedRecord } from '../crmKit/fieldMapping';
import type { HttpRequest, HttpResponse } from '../crmKit/httpCall';
import { sharedTokenCache, type TokenCache } from '../crmKit/TokenCache';
import { requestSalesforceToken, type SalesforceAuthOptions, type SalesforceToken } from './salesforceAuth';
import { salesforceProfile } from './salesforceDefaults';
import { salesforceError, salesforceErrorCode } from './salesforceErrors';

export interface SalesforceSettings extends CrmSettings {
    auth: SalesforceAuthOptions;
    apiVersion: string;
    /** External-id field on Lead (e.g. `Marketplace_Person_Key__c`), unique, receiving the person key. */
    externalIdField: string;
    /** `allowSave` resends a duplicate-rule rejection with `Sforce-Duplicate-Rule-Header: allowSave=true`. */
    duplicateRule: 'fail' | 'allowSave';
    sessionTtlMs: number;
    requestLimitRetryMs: number;
}

/** Salesforce REST: `Lead` upserted by external id, so retries and a person's later leads update one record. */
export class SalesforceTarget extends CrmTarget<SalesforceSettings> {
    readonly type = 'salesforce' as const;
    protected readonly profile = salesforceProfile;
    private readonly tokens: TokenCache<SalesforceToken> = sharedTokenCache(
        ['salesforce', this.name, JSON.stringify(this.settings.auth)],
        () => requestSalesforceToken(this.http, this.settings.auth, this.now(), this.settings.sessionTtlMs),
        this.now,
    );

    protected async upsert(record: MappedRecord, request: DeliveryRequest): Promise<DeliveryResult> {
        const { lead } = request;
        delete record[this.settings.externalIdField];
        const path = `/sobjects/Lead/${this.settings.externalIdField}/${encodeURIComponent(lead.personKey ?? lead.leadKey)}`;
        let response = await this.call({ method: 'PATCH', url: path, body: record });
        if (salesforceErrorCode(response) === 'DUPLICATES_DETECTED' && this.settings.duplicateRule === 'allowSave') {
            response = await this.call({
                method: 'PATCH',
                url: path,
                body: record,
                headers: { 'sforce-duplicate-rule-header': 'allowSave=true' },
            });
        }
        if (response.status < 200 || response.status >= 300) {
            throw salesforceError(this.name, response, this.now(), this.settings.requestLimitRetryMs);
        }
        let externalId = (response.json as { id?: string } | undefined)?.id;
        if (!externalId) {
            // API versions before 46.0 answer an update with 204 and no body.
            const found = await this.call({ method: 'GET', url: `${path}?fields=Id` });
            externalId = (found.json as { Id?: string } | undefined)?.Id;
        }
        return { action: response.status === 201 ? 'created' : 'updated', externalId, status: response.status };
    }

    /** `/limits` reads nothing of the org's data and tells how many daily API requests are left. */
    protected async probe(now: Date): Promise<string | undefined> {
        const limits = await this.call({ method: 'GET', url: '/limits' });
        if (limits.status !== 200) throw salesforceError(this.name, limits, now, this.settings.requestLimitRetryMs);
        const daily = (limits.json as { DailyApiRequests?: { Max?: number; Remaining?: number } }).DailyApiRequests;
        return daily ? `API requests remaining today: ${daily.Remaining} of ${daily.Max}` : undefined;
    }

    /** Calls the instance REST API; refreshes the session once on `INVALID_SESSION_ID`. Returns error responses. */
    private async call(request: HttpRequest): Promise<HttpResponse> {
        for (let attempt = 1; ; attempt++) {
            const token = await this.tokens.get();
            const response = await this.http.send({
                ...request,
                url: `${token.instanceUrl}/services/data/v${this.settings.apiVersion}${request.url}`,
                headers: { ...request.headers, authorization: `Bearer ${token.accessToken}` },
            });
            if (response.status === 401 && attempt === 1) {
                this.tokens.invalidate(token);
                continue;
            }
            return response;
        }
    }
}
