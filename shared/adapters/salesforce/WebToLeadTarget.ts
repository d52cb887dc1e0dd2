import type { TargetRole } from '../../domain/index';
import type { DeliveryRequest, DeliveryResult, DeliveryTarget, TargetHealth } from '../../ports/DeliveryTarget';
import type { Logger } from '../../ports/Logger';
import { errorForStatus } from '../crmKit/classifyStatus';
import { type FieldMapping, mapLead } from '../crmKit/fieldMapping';
import { fitToLength } from '../crmKit/fitToLength';
import type { TargetHttp } from '../crmKit/TargetHttp';
import { salesforceLeadLengths as sf, webToLeadDefaultMapping } from './salesforceDefaults';

/** The form's fields are the Lead's: the same sizes (Describe), under the form's names. */
const formLengths = {
    first_name: sf.FirstName!,
    last_name: sf.LastName!,
    email: sf.Email!,
    company: sf.Company!,
    title: sf.Title!,
    phone: sf.Phone!,
    country: sf.Country!,
    lead_source: sf.LeadSource!,
    description: sf.Description!,
};

/**
 * The no-API fallback the marketplace's own connector uses: a Web-to-Lead form post with the org id (`oid`, the
 * hidden field of Salesforce's generated form). It returns no record id, is capped by Salesforce at 500 leads per 24
 * hours, and cannot be made idempotent: a retry after a lost answer may create a second lead. Its 200 proves only
 * that the form was received: Salesforce drops a lead that fails validation rules, a restricted picklist or
 * reCAPTCHA, and queues leads past the daily cap, all after answering 200. Use the REST mode whenever an API-enabled
 * user is available.
 */
export class WebToLeadTarget implements DeliveryTarget {
    readonly type = 'salesforce' as const;

    constructor(
        readonly name: string,
        readonly role: TargetRole,
        private readonly settings: { url: string; oid: string; leadSource: string; mapping?: FieldMapping },
        private readonly http: TargetHttp,
        private readonly logger: Logger,
        private readonly now: () => Date,
    ) {}

    async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
        const mapped = mapLead(webToLeadDefaultMapping, this.settings.mapping, request.lead, request.decision);
        const fields = fitToLength(mapped, formLengths, { dropWhenLong: new Set(['email']) }).record;
        const form = new URLSearchParams({ oid: this.settings.oid, lead_source: this.settings.leadSource });
        for (const [key, value] of Object.entries(fields)) form.set(key, String(value));
        const response = await this.http.send({
            method: 'POST',
            url: this.settings.url,
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
            body: form.toString(),
        });
        if (response.status < 200 || response.status >= 400) throw errorForStatus(this.name, response, this.now());
        this.logger.info('salesforce web-to-lead posted', { target: this.name, status: response.status });
        return {
            action: 'sent',
            status: response.status,
            note: 'web-to-lead: form accepted, not proof of a lead (no record id; 500 leads/day cap)',
        };
    }

    checkHealth(now: Date): Promise<TargetHealth> {
        // Web-to-Lead has no read endpoint and no credential: the only check would create a lead.
        return Promise.resolve({
            target: this.name,
            type: this.type,
            ok: true,
            message: 'web-to-lead mode: configuration only, cannot be checked without creating a lead',
            checkedAt: now.toISOString(),
        });
    }
}
