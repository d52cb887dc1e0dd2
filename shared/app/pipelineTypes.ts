/**
 * What travels through the durable orchestrations: ids, target names, counts and codes only. The lead itself stays
 * in Table Storage, so no personal data is written into orchestration history.
 */
import type { DeliveryRecord, DeliveryStatus, LeadStatus } from '../ports/LeadRepository';

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
    /** Instance id of the run (lead pipeline or redelivery) that owns this delivery; see `DeliveryRecord.claimedBy`. */
    runId: string;
    trace: Record<string, string>;
}

export interface DeliverAttemptInput {
    leadId: string;
    target: string;
    attempt: number;
    force: boolean;
    /** The owning run: a retrying row is written as claimed by it. */
    runId: string;
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
    /** The run whose outcomes these are: only rows it still claims are ended by them. */
    runId: string;
    outcomes: TargetOutcome[];
}

/** W3C trace context carried through the orchestration (absent in histories older than telemetry). */
export type TraceCarrier = Record<string, string>;

/** What the orchestrations pass to the decide activity. */
export interface DecideActivityInput {
    leadId: string;
    /** The orchestration's current time (deterministic), as ISO. */
    now: string;
    /** The calling run: the rows a first decision writes are claimed by it. */
    runId: string;
    trace?: TraceCarrier;
}

/** What the orchestrations pass to the record-outcome activity: the use case's input plus the trace context. */
export type RecordOutcomeActivityInput = RecordOutcomeInput & { trace?: TraceCarrier };

export interface RedeliveryInput {
    leadId: string;
    receivedAt: string;
    targets: string[];
    force: boolean;
    trace: Record<string, string>;
}

export const leadInstanceId = (leadId: string): string => `lead-${leadId}`;

/** The `targetDelivery` sub-orchestration a run starts for one target (derived, so it is deterministic). */
export const targetDeliveryInstanceId = (runId: string, target: string): string => `${runId}:${target}`;

/**
 * How long past the delivery deadline a claim may stay untouched before it counts as abandoned: room for the last
 * attempt's timeout, recording the outcome and a busy host's queueing.
 */
export const CLAIM_EXPIRY_MARGIN_MINUTES = 10;

/**
 * A `pending`/`retrying` row is a claim of a running orchestration, which writes the row on every attempt and ends
 * (records its outcome) shortly after its deadline, counted from its start, i.e. after the claim. A claim whose last
 * change is older than the deadline plus the margin therefore belongs to a run that failed or was terminated: it is
 * `stalled`, and redelivery may claim the target again. Without a deadline (not configured) a claim never expires.
 */
/** A row some run is delivering (or about to): its claim, see `DeliveryRecord.claimedBy`. */
export const isInProgress = (row: Pick<DeliveryRecord, 'status'>): boolean =>
    row.status === 'pending' || row.status === 'retrying';

export function claimExpired(
    row: Pick<DeliveryRecord, 'status' | 'updatedAt'>,
    now: Date,
    deadlineMinutes: number | undefined,
): boolean {
    if (deadlineMinutes === undefined || !isInProgress(row)) return false;
    const last = Date.parse(row.updatedAt);
    return now.getTime() - last > (deadlineMinutes + CLAIM_EXPIRY_MARGIN_MINUTES) * 60_000;
}
