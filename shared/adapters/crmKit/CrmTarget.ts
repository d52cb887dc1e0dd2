import type { TargetRole } from '../../domain/index';
import type {
    DeliveryRequest,
    DeliveryResult,
    DeliveryTarget,
    TargetHealth,
    TargetType,
} from '../../ports/DeliveryTarget';
import type { Logger } from '../../ports/Logger';
import { judgeExpiry } from './credentialHealth';
import { type FieldMapping, mapLead, type MappedRecord } from './fieldMapping';
import type { TargetHttp } from './TargetHttp';

/** What every CRM target's settings carry: the config's `mapping` and the credential's end date, when known. */
export interface CrmSettings {
    mapping?: FieldMapping;
    credentialExpiresAt?: Date;
}

/** What a CRM target is called and maps by default; each CRM keeps its own next to its default mapping. */
export interface CrmProfile {
    /** Starts the upsert log line, e.g. `dataverse` → "dataverse lead upserted". */
    logName: string;
    defaultMapping: FieldMapping;
    /** How the expiry message names the credential, e.g. "Marketo client secret". */
    credentialName: string;
}

/**
 * A CRM reached through its REST API that upserts one record per lead. `deliver` maps the lead (the CRM's defaults
 * plus the config's `mapping`), lets the subclass upsert it and logs the record id; `checkHealth` judges the
 * credential's expiry and runs the subclass's read-only probe.
 */
export abstract class CrmTarget<S extends CrmSettings> implements DeliveryTarget {
    abstract readonly type: TargetType;
    protected abstract readonly profile: CrmProfile;

    constructor(
        readonly name: string,
        readonly role: TargetRole,
        protected readonly settings: S,
        protected readonly http: TargetHttp,
        protected readonly logger: Logger,
        protected readonly now: () => Date,
    ) {}

    async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
        const record = mapLead(this.profile.defaultMapping, this.settings.mapping, request.lead, request.decision);
        const result = await this.upsert(record, request);
        this.logger.info(`${this.profile.logName} lead upserted`, {
            target: this.name,
            recordId: result.externalId,
            action: result.action,
            ...(result.note === undefined ? {} : { note: result.note }),
        });
        return result;
    }

    async checkHealth(now: Date): Promise<TargetHealth> {
        const base = { target: this.name, type: this.type, checkedAt: now.toISOString() };
        const expiry = judgeExpiry(this.settings.credentialExpiresAt, now, this.profile.credentialName);
        let note: string | undefined;
        try {
            note = await this.probe(now);
        } catch (err) {
            return { ...base, ...expiry, ok: false, message: err instanceof Error ? err.message : 'check failed' };
        }
        if (note === undefined) return { ...base, ...expiry };
        return { ...base, ...expiry, message: [expiry.message, note].filter(Boolean).join('; ') };
    }

    /** Creates or updates the record; `record` is a fresh mapping the subclass may complete with its key fields. */
    protected abstract upsert(record: MappedRecord, request: DeliveryRequest): Promise<DeliveryResult>;

    /** Proves the credential and reachability without writing data; throws when unhealthy, may return a note. */
    protected abstract probe(now: Date): Promise<string | undefined>;
}
