/**
 * What travels through the durable orchestrations: ids, target names, counts and codes only. The lead itself stays
 * in Table Storage, so no personal data is written into orchestration history.
 */
import type { DeliveryStatus, LeadStatus } from '../ports/LeadRepository';

export interface PipelineInput {
    leadId: string;
    receivedAt: string;
    /** W3C trace context from the lead event. */
    trace: Record<string, string>;
}

export interface DeliveryPolicy {
    maxAttempts: number;
    firstRetryIntervalSeconds: number;
    backoffCoefficient: number;
    maxRetryIntervalSeconds: number;
    deadlineMinutes: number;
}

/** Output of the decide activity. */
export interface DecisionPlan {
    configVersion: string;
    outcome: string;
    grade: string;
    /** Set when the lead is finished without delivering (test lead, nothing routed). */
    finalStatus?: LeadStatus;
    targets: string[];
    policy: DeliveryPolicy;
}

export interface TargetDeliveryInput {
    leadId: string;
    target: string;
    /** ISO time after which no new attempt starts. */
    deadline: string;
    policy: DeliveryPolicy;
    /** Deliver even if an earlier attempt succeeded (explicit redelivery of one target). */
    force: boolean;
    trace: Record<string, string>;
}

export interface DeliverAttemptInput {
    leadId: string;
    target: string;
    attempt: number;
    force: boolean;
    trace: Record<string, string>;
}

export type DeliverAttemptResult =
    | { outcome: 'delivered'; externalId?: string; httpStatus?: number; alreadyDelivered: boolean }
    | {
          outcome: 'transient';
          error: string;
          retryAfterMs?: number;
          /** Absolute time the target allows the next attempt (Retry-After counted from its answer). */
          retryAt?: string;
          httpStatus?: number;
      }
    | { outcome: 'permanent'; error: string; httpStatus?: number };

export interface TargetOutcome {
    target: string;
    status: DeliveryStatus;
    attempts: number;
    externalId?: string;
    lastError?: string;
    lastHttpStatus?: number;
}

export interface RecordOutcomeInput {
    leadId: string;
    receivedAt: string;
    outcomes: TargetOutcome[];
}

export interface RedeliveryInput {
    leadId: string;
    receivedAt: string;
    targets: string[];
    force: boolean;
    trace: Record<string, string>;
}

export const leadInstanceId = (leadId: string): string => `lead-${leadId}`;
