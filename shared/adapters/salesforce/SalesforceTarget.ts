import type { TargetRole } from '../../domain/Decision';
import type { DeliveryRequest, DeliveryResult, DeliveryTarget, TargetHealth } from '../../ports/DeliveryTarget';
import type { Logger } from '../../ports/Logger';
import { judgeExpiry } from '../http/credentialHealth';
import { type FieldMapping, mapLead } from '../http/fieldMapping';
import type { HttpRequest, HttpResponse } from '../http/httpCall';
import type { TargetHttp } from '../http/TargetHttp';
import { sharedTokenCache, type TokenCache } from '../http/TokenCache';
import { requestSalesforceToken, type SalesforceAuthOptions, type SalesforceToken } from './salesforceAuth';
import { salesforceDefaultMapping } from './salesforceDefaults';
import { salesforceError, salesforceErrorCode } from './salesforceErrors';

export interface SalesforceSettings {
    auth: SalesforceAuthOptions;
    apiVersion: string;
    /** External-id field on Lead (e.g. `Marketplace_Person_Key__c`), unique, receiving the person key. */
    externalIdField: string;
    /** `allowSave` resends a duplicate-rule rejection with `Sforce-Duplicate-Rule-Header: allowSave=true`. */
    duplicateRule: 'fail' | 'allowSave';
    sessionTtlMs: number;
    requestLimitRetryMs: number;
    mapping?: FieldMapping;
    credentialExpiresAt?: Date;
}

/** Salesforce REST: `Lead` upserted by external id, so retries and a person's later leads update one record. */
export class SalesforceTarget implements DeliveryTarget {
    readonly type = 'salesforce' as const;
    private readonly tokens: TokenCache<SalesforceToken>;

    constructor(
        readonly name: string,
        readonly role: TargetRole,
        private readonly settings: SalesforceSettings,
        private readonly http: TargetHttp,
        private readonly logger: Logger,
        private readonly now: () => Date,
    ) {
        this.tokens = sharedTokenCache(
            ['salesforce', name, JSON.stringify(settings.auth)],
            () => requestSalesforceToken(http, settings.auth, now(), settings.sessionTtlMs),
            now,
        );
    }

    async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
        const { lead, decision } = request;
        const record = mapLead(salesforceDefaultMapping, this.settings.mapping, lead, decision);
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
        const action = response.status === 201 ? 'created' : 'updated';
        this.logger.info('salesforce lead upserted', { target: this.name, recordId: externalId, action });
        return { action, externalId, status: response.status };
    }

    async checkHealth(now: Date): Promise<TargetHealth> {
        const base = { target: this.name, type: this.type, checkedAt: now.toISOString() };
        const expiry = judgeExpiry(this.settings.credentialExpiresAt, now, 'Salesforce credential');
        try {
            const limits = await this.call({ method: 'GET', url: '/limits' });
            if (limits.status !== 200) throw salesforceError(this.name, limits, now, this.settings.requestLimitRetryMs);
            const daily = (limits.json as { DailyApiRequests?: { Max?: number; Remaining?: number } }).DailyApiRequests;
            const usage = daily ? `API requests remaining today: ${daily.Remaining} of ${daily.Max}` : undefined;
            return { ...base, ...expiry, message: [expiry.message, usage].filter(Boolean).join('; ') || undefined };
        } catch (err) {
            return { ...base, ...expiry, ok: false, message: err instanceof Error ? err.message : 'check failed' };
        }
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
