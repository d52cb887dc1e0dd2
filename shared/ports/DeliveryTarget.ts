import type { DeliveryOwner, Lead, LeadDecision, TargetRole, TargetType } from '../domain/index';

export type { DeliveryOwner, TargetType };

export interface DeliveryRequest {
    lead: Lead;
    decision: LeadDecision;
    /** The configured target's name (a key of `targets` in the pipeline config). */
    target: string;
    /**
     * Stable across retries and redeliveries of the same lead to the same target; adapters send it as the
     * idempotency key / use it to find the record they created before.
     */
    idempotencyKey: string;
    /** 1 for the first attempt. */
    attempt: number;
    /**
     * The owner the pipeline decided (`LeadDecision.owner`), with the person's id in this target when they have one.
     * CRM adapters set the record's owner from `id`; notifications show `displayName`. Absent: the target's own rules.
     */
    owner?: DeliveryOwner;
    /**
     * This lead's other targets already delivered when the attempt starts, with their record ids (a notification
     * links to them). Targets are delivered in parallel, so a CRM still being written is not in it yet.
     */
    related?: RelatedDelivery[];
    /**
     * The owner's one-click acknowledgement link (notify targets only, when the lead has an SLA): shown on the Teams
     * card and sent in the webhook payload. `dueAt`: when the SLA is up; `round`: 0 for the first owner.
     */
    acknowledge?: AckRequest;
}

export interface AckRequest {
    url: string;
    expiresAt: string;
    dueAt: string;
    round: number;
}

/** Another target of the same lead that was delivered, and the record it wrote there. */
export interface RelatedDelivery {
    target: string;
    externalId: string;
}

export interface DeliveryResult {
    /** `created` / `updated` for CRM records, `sent` for notifications and webhooks. */
    action: 'created' | 'updated' | 'sent';
    /** The record id in the target system, when it has one. */
    externalId?: string;
    /** HTTP status of the final call. */
    status?: number;
    /** Short, personal-data-free note for the audit trail. */
    note?: string;
}

export interface TargetHealth {
    target: string;
    type: TargetType;
    ok: boolean;
    /** Why the target is unhealthy or disabled; never contains secrets or personal data. */
    message?: string;
    /** When the credential expires, if the credential says so (client secret, token). */
    credentialExpiresAt?: string;
    checkedAt: string;
}

/**
 * A delivery destination. `deliver` resolves with the result or throws `TransientError` (retry, honouring
 * `retryAfterMs`) or `PermanentError` (do not retry). Anything else thrown is treated as transient.
 * Implementations never log personal data.
 */
export interface DeliveryTarget {
    readonly name: string;
    readonly type: TargetType;
    readonly role: TargetRole;
    deliver(request: DeliveryRequest): Promise<DeliveryResult>;
    /** Checks credentials and reachability without writing data. */
    checkHealth(now: Date): Promise<TargetHealth>;
    /**
     * Where the CRM exposes it: the status of the record this lead wrote, and whether sales has moved it on from the
     * status a new record starts with (which counts as the owner's acknowledgement). Undefined: no record found.
     * One read, within the target's request budget. `recordId`: the id the delivery stored for that record.
     */
    leadStatus?(request: DeliveryRequest, recordId?: string): Promise<{ status: string; worked: boolean } | undefined>;
}
