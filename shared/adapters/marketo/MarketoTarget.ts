import { PermanentError, TransientError } from '../../domain/index';
import type { DeliveryRequest, DeliveryResult } from '../../ports/DeliveryTarget';
import { errorForStatus, isTransientStatus } from '../crmKit/classifyStatus';
import { type CrmSettings, CrmTarget } from '../crmKit/CrmTarget';
import type { MappedRecord } from '../crmKit/fieldMapping';
import { sharedTokenCache, type Token, type TokenCache } from '../crmKit/TokenCache';
import { marketoProfile } from './marketoDefaults';
import { marketoError, tokenErrorCodes } from './marketoErrors';

export interface MarketoSettings extends CrmSettings {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    /** `email` (default) or a custom dedupe field that receives the person key. */
    lookupField: string;
    partitionName?: string;
}

interface MarketoBody {
    success?: boolean;
    errors?: { code?: string }[];
    result?: { id?: number; status?: string; reasons?: { code?: string }[] }[];
}

/** Marketo REST: `createOrUpdate` by lookup field; errors arrive inside HTTP 200 bodies and are classified by code. */
export class MarketoTarget extends CrmTarget<MarketoSettings> {
    readonly type = 'marketo' as const;
    protected readonly profile = marketoProfile;
    private readonly tokens: TokenCache<Token> = sharedTokenCache(
        ['marketo', this.name, this.settings.baseUrl, this.settings.clientId, this.settings.clientSecret],
        () => this.requestToken(),
        this.now,
    );

    protected async upsert(record: MappedRecord, request: DeliveryRequest): Promise<DeliveryResult> {
        const { lead } = request;
        const lookupField = this.settings.lookupField;
        if (lookupField !== 'email') record[lookupField] = lead.personKey ?? lead.leadKey;
        if (record[lookupField] === undefined) {
            throw new PermanentError(`${this.name}: lead has no ${lookupField} to look up by`, {
                code: 'missing-email',
            });
        }
        const body = {
            action: 'createOrUpdate',
            lookupField,
            ...(this.settings.partitionName ? { partitionName: this.settings.partitionName } : {}),
            input: [record],
        };
        for (let attempt = 1; ; attempt++) {
            const token = await this.tokens.get();
            const response = await this.http.send({
                method: 'POST',
                url: `${this.settings.baseUrl}/rest/v1/leads.json`,
                headers: { authorization: `Bearer ${token.accessToken}` },
                body,
            });
            if (response.status !== 200) throw errorForStatus(this.name, response, this.now());
            const parsed = (response.json ?? {}) as MarketoBody;
            const code = parsed.errors?.[0]?.code;
            if (parsed.success !== true) {
                if (code && tokenErrorCodes.has(code) && attempt === 1) {
                    this.tokens.invalidate(token);
                    continue;
                }
                const error = marketoError(this.name, code, 'response');
                // 606 (rate) and 615 (concurrency) concern every caller of this Marketo instance.
                if ((code === '606' || code === '615') && error instanceof TransientError) {
                    await this.http.pause(error.details.retryAfterMs ?? 20_000);
                }
                throw error;
            }
            const result = parsed.result?.[0];
            if (result?.status === 'created' || result?.status === 'updated') {
                const externalId = result.id === undefined ? undefined : String(result.id);
                return { action: result.status, externalId, status: 200 };
            }
            throw marketoError(this.name, result?.reasons?.[0]?.code, 'record');
        }
    }

    /** Only the identity endpoint: it proves the credentials without touching lead data or the API quota. */
    protected async probe(): Promise<undefined> {
        await this.requestToken();
    }

    private async requestToken(): Promise<Token> {
        const query = new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: this.settings.clientId,
            client_secret: this.settings.clientSecret,
        });
        const requestedAt = this.now().getTime();
        const response = await this.http.sendUngoverned({
            method: 'GET',
            url: `${this.settings.baseUrl}/identity/oauth/token?${query.toString()}`,
        });
        const body = (response.json ?? {}) as { access_token?: string; expires_in?: number; error?: string };
        if (response.status === 200 && body.access_token) {
            return { accessToken: body.access_token, expiresAtMs: requestedAt + (body.expires_in ?? 3600) * 1000 };
        }
        const code = body.error ?? `http-${response.status}`;
        if (isTransientStatus(response.status)) {
            throw new TransientError(`${this.name}: token request failed (${code})`, { status: response.status, code });
        }
        throw new PermanentError(`${this.name}: token request rejected (${code})`, { status: response.status, code });
    }
}
