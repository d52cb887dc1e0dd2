import { PermanentError, TransientError } from '../../domain/index';
import type { DeliveryRequest, DeliveryResult } from '../../ports/DeliveryTarget';
import { errorForStatus } from '../crmKit/classifyStatus';
import { campaignFor, type QualityMapping, qualityValue } from '../crmKit/crmOptions';
import { type CrmSettings, CrmTarget } from '../crmKit/CrmTarget';
import type { MappedRecord } from '../crmKit/fieldMapping';
import { cutText, fitToLength } from '../crmKit/fitToLength';
import { leadFields } from '../crmKit/leadFields';
import { sharedTokenCache, type Token, type TokenCache } from '../crmKit/TokenCache';
import { requestMarketoToken } from './marketoAuth';
import { marketoLeadLengths, marketoProfile } from './marketoDefaults';
import { marketoError, tokenErrorCodes } from './marketoErrors';

export interface MarketoSettings extends CrmSettings {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    /** `email` (default) or a custom dedupe field that receives the person key. */
    lookupField: string;
    partitionName?: string;
    leadSource: string;
    /** The program every lead is pushed to (Push Lead to Marketo); without it, and no campaign match, a plain upsert. */
    programName?: string;
    /** Campaign id (`mktcmpid` / `utm_campaign`) → the Marketo program (name) the lead is pushed to. */
    campaigns?: Record<string, string | number>;
    /** `source` of the push ("Person is Pushed to Marketo" can filter on it). */
    pushSource: string;
    quality?: QualityMapping;
}

interface MarketoBody {
    success?: boolean;
    errors?: { code?: string }[];
    result?: { id?: number; status?: string; reasons?: { code?: string }[] }[];
}

/**
 * Marketo REST: `createOrUpdate` by lookup field, or, when the lead has a program (its campaign's, or the configured
 * one), Push Lead to Marketo, which also adds it to the program and fires "Person is Pushed to Marketo". Errors arrive
 * inside HTTP 200 bodies and are classified by code.
 */
export class MarketoTarget extends CrmTarget<MarketoSettings> {
    readonly type = 'marketo' as const;
    protected readonly profile = marketoProfile;
    // Marketo hands out the same token, with its remaining life, until it expires (Authentication: a call to Identity
    // while the token is valid returns that token): refreshing early would fetch the same token again and again. It
    // is used until it expires; a 601/602 refreshes it.
    private readonly tokens: TokenCache<Token> = sharedTokenCache(
        ['marketo', this.name, this.settings.baseUrl, this.settings.clientId, this.settings.clientSecret],
        () => this.requestToken(),
        this.now,
        { refreshBeforeMs: 0 },
    );

    protected async upsert(mapped: MappedRecord, request: DeliveryRequest): Promise<DeliveryResult> {
        const { lead, decision } = request;
        const lookupField = this.settings.lookupField;
        const record: MappedRecord = { leadSource: this.settings.leadSource, ...mapped };
        if (lookupField !== 'email') record[lookupField] = lead.personKey ?? lead.leadKey;
        const rating = qualityValue(this.settings.quality, decision.score.grade);
        if (rating !== undefined && this.settings.quality) record[this.settings.quality.field] = rating;
        const fitted = fitToLength(record, marketoLeadLengths, { dropWhenLong: new Set([lookupField]) });
        if (fitted.record[lookupField] === undefined) {
            throw new PermanentError(`${this.name}: lead has no ${lookupField} to look up by`, {
                code: 'missing-email',
            });
        }
        const notes = fitted.changed.length > 0 ? [`cut to field length: ${fitted.changed.join(', ')}`] : [];
        const program = campaignFor(lead, this.settings.campaigns)?.crmId ?? this.settings.programName;
        const partition = this.settings.partitionName ? { partitionName: this.settings.partitionName } : {};
        let path = '/rest/v1/leads.json';
        let body: object = { action: 'createOrUpdate', lookupField, ...partition, input: [fitted.record] };
        if (program !== undefined) {
            const view = leadFields(lead, decision, request.owner);
            path = '/rest/v1/leads/push.json';
            body = {
                programName: program,
                lookupField,
                ...partition,
                source: this.settings.pushSource,
                reason: cutText(
                    `${String(view.actionMeaning ?? view.action ?? 'lead')}: ${String(view.offer ?? '')}`,
                    255,
                ),
                input: [fitted.record],
            };
            notes.push(`pushed to program ${program}`);
        }
        const result = await this.send(path, body);
        return { ...result, note: notes.join('; ') || undefined };
    }

    /** Only the identity endpoint: it proves the credentials without touching lead data or the API quota. */
    protected async probe(): Promise<undefined> {
        await this.requestToken();
    }

    private async send(path: string, body: object): Promise<Omit<DeliveryResult, 'note'>> {
        for (let attempt = 1; ; attempt++) {
            const token = await this.tokens.get();
            const response = await this.http.send({
                method: 'POST',
                url: `${this.settings.baseUrl}${path}`,
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

    private requestToken(): Promise<Token> {
        return requestMarketoToken(this.http, this.settings, this.now);
    }
}
