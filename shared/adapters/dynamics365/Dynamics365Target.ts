import type { TokenCredential } from '@azure/core-auth';

import { PermanentError, type TargetRole } from '../../domain/index';
import type { DeliveryRequest, DeliveryResult } from '../../ports/DeliveryTarget';
import type { Logger } from '../../ports/Logger';
import { type CrmSettings, CrmTarget } from '../crmKit/CrmTarget';
import type { MappedRecord } from '../crmKit/fieldMapping';
import type { HttpRequest, HttpResponse } from '../crmKit/httpCall';
import type { TargetHttp } from '../crmKit/TargetHttp';
import { sharedTokenCache, type Token, type TokenCache } from '../crmKit/TokenCache';
import { dataverseToken } from './dataverseCredential';
import { dataverseError } from './dataverseErrors';
import { dataverseApiPath, dynamicsProfile } from './dynamicsDefaults';
import { leadId, odataString, odataValue } from './odata';

export interface Dynamics365Settings extends CrmSettings {
    environmentUrl: string;
    /** Column of an alternate key on `lead` that receives the person key; enables a single-call upsert. */
    alternateKey?: string;
    /** Column compared, with the email, to find an existing lead when no alternate key is configured. */
    offerField: string;
    leadSourceCode: number;
    /** Identifies the credential (tenant, client, secret) for the shared token cache; never logged. */
    credentialKey: string;
}

/** Dataverse Web API v9.2 `leads`: upsert by alternate key, or look up by email + offer, then update or create. */
export class Dynamics365Target extends CrmTarget<Dynamics365Settings> {
    readonly type = 'dynamics365' as const;
    protected readonly profile = dynamicsProfile;
    private readonly tokens: TokenCache<Token>;

    constructor(
        name: string,
        role: TargetRole,
        settings: Dynamics365Settings,
        newCredential: () => TokenCredential,
        http: TargetHttp,
        logger: Logger,
        now: () => Date,
    ) {
        super(name, role, settings, http, logger, now);
        // A fresh credential per token request: our cache decides when to refresh, not MSAL's own cache.
        this.tokens = sharedTokenCache(
            ['dynamics365', name, settings.environmentUrl, settings.credentialKey],
            () => dataverseToken(newCredential(), settings.environmentUrl, name),
            now,
        );
    }

    protected upsert(record: MappedRecord, request: DeliveryRequest): Promise<DeliveryResult> {
        record.leadsourcecode = this.settings.leadSourceCode;
        const { lead } = request;
        return this.settings.alternateKey
            ? this.upsertByKey(this.settings.alternateKey, lead.personKey ?? lead.leadKey, record)
            : this.upsertByLookup(record);
    }

    protected async probe(): Promise<undefined> {
        await this.call({ method: 'GET', url: `${this.api}/WhoAmI` });
    }

    private get api(): string {
        return `${this.settings.environmentUrl}${dataverseApiPath}`;
    }

    private async upsertByKey(column: string, value: string, record: Record<string, unknown>): Promise<DeliveryResult> {
        const response = await this.call({
            method: 'PATCH',
            url: `${this.api}/leads(${column}=${odataString(value)})?$select=leadid`,
            headers: { prefer: 'return=representation' },
            body: record,
        });
        return {
            action: response.status === 201 ? 'created' : 'updated',
            externalId: leadId(response),
            status: response.status,
        };
    }

    private async upsertByLookup(record: Record<string, unknown>): Promise<DeliveryResult> {
        const email = record.emailaddress1;
        const offer = record[this.settings.offerField];
        if (typeof email !== 'string' || offer === undefined) {
            throw new PermanentError(`${this.name}: no email/offer to look the lead up by; configure alternateKey`, {
                code: 'missing-lookup-key',
            });
        }
        const filter = `emailaddress1 eq ${odataValue(email)} and ${this.settings.offerField} eq ${odataValue(offer)}`;
        const found = await this.call({
            method: 'GET',
            url: `${this.api}/leads?$select=leadid&$top=1&$filter=${encodeURIComponent(filter)}`,
        });
        const existing = (found.json as { value?: { leadid?: string }[] }).value?.[0]?.leadid;
        if (existing) {
            // If-Match: * turns the PATCH into an update only, so a lead deleted meanwhile is not re-created here.
            const updated = await this.call(
                { method: 'PATCH', url: `${this.api}/leads(${existing})`, headers: { 'if-match': '*' }, body: record },
                [404],
            );
            if (updated.status !== 404) return { action: 'updated', externalId: existing, status: updated.status };
        }
        const created = await this.call({
            method: 'POST',
            url: `${this.api}/leads?$select=leadid`,
            headers: { prefer: 'return=representation' },
            body: record,
        });
        return { action: 'created', externalId: leadId(created), status: created.status };
    }

    /** Sends with a bearer token; on 401 drops the token and retries once with a new one. */
    private async call(request: HttpRequest, accept: number[] = []): Promise<HttpResponse> {
        for (let attempt = 1; ; attempt++) {
            const token = await this.tokens.get();
            const response = await this.http.send({
                ...request,
                headers: {
                    ...request.headers,
                    authorization: `Bearer ${token.accessToken}`,
                    'odata-version': '4.0',
                    'odata-maxversion': '4.0',
                },
            });
            if ((response.status >= 200 && response.status < 300) || accept.includes(response.status)) return response;
            if (response.status === 401 && attempt === 1) {
                this.tokens.invalidate(token);
                continue;
            }
            throw dataverseError(this.name, response, this.now());
        }
    }
}
