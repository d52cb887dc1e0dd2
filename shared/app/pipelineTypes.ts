/**
 * What travels through the durable orchestrations: ids, target names, counts and codes only. The lead itself stays
 * in Table Storage, so no personal data is written into orchestration history. These shapes are stored in durable
 * histories: a change must still read the inputs and outputs of runs in flight.
 */
import type { LeadStatus, RunOutcome } from '../domain/index';

/** W3C trace context carried through the orchestration (absent in histories older than telemetry). */
export type TraceCarrier = Record<string, string>;

export interface PipelineInput {
    leadId: string;
    receivedAt: string;
    /** W3C trace context from the lead event. */
    trace: TraceCarrier;
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
    trace: TraceCarrier;
    /**
     * The first attempt this delivery makes (default 1) and the time it waits for before making it: set when the
     * lead pipeline's first step already made (or deferred) attempts. Absent in runs started before it existed.
     */
    firstAttempt?: number;
    startAt?: string;
    /** Deferrals in a row so far (the next wait grows from it). */
    deferrals?: number;
    /** The error and status of the attempt before `firstAttempt`, reported if no further attempt is made. */
    lastError?: string;
    lastHttpStatus?: number;
    /** Set for an escalation's message or CRM owner write (not the lead's own delivery): recorded on the SLA row. */
    escalation?: EscalationDelivery;
}

/**
 * One thing an SLA breach sends: `message` is a new notification for the round (its own idempotency key, the round's
 * link), `owner` writes the CRM record again with the new owner (the record's own key: the upsert updates it).
 */
export interface EscalationDelivery {
    round: number;
    kind: 'message' | 'owner';
    /** Set on an attempt the policy allows no retry after: a transient failure then ends the entry as failed. */
    last?: boolean;
}

export interface DeliverAttemptInput {
    leadId: string;
    target: string;
    attempt: number;
    force: boolean;
    /** The owning run: a retrying row is written as claimed by it. */
    runId: string;
    trace: TraceCarrier;
    /** Set for an escalation's delivery (see `EscalationDelivery`). */
    escalation?: EscalationDelivery;
}

export type DeliverAttemptResult =
    | {
          outcome: 'delivered';
          externalId?: string;
          httpStatus?: number;
          /** The target created the record (rather than updating one it found): the record is this lead's. */
          created?: boolean;
          alreadyDelivered: boolean;
          /** The target's note for the audit trail (e.g. an owner the CRM refused), personal-data free. */
          note?: string;
      }
    | {
          outcome: 'transient';
          error: string;
          retryAfterMs?: number;
          /** Absolute time the target allows the next attempt (Retry-After counted from its answer). */
          retryAt?: string;
          httpStatus?: number;
      }
    | { outcome: 'permanent'; error: string; httpStatus?: number }
    /**
     * Not attempted: the target already has as many calls in flight in this worker as it may (`TargetGate`), or its
     * request budget was exhausted before anything was sent (then `retryAt`: when the budget allows it again). Not
     * counted as an attempt; the orchestration waits on a durable timer and tries the same attempt again.
     */
    | { outcome: 'deferred'; reason: string; retryAt?: string };

/** What the lead pipeline's first step passes to the `decideAndDeliver` activity. */
export interface DecideAndDeliverActivityInput {
    leadId: string;
    /** The orchestration's current time (deterministic), as ISO: the decision's time and the deadline's start. */
    now: string;
    runId: string;
    trace?: TraceCarrier;
}

/** One target's first attempt as `decideAndDeliver` made (or deferred) it. */
export interface FirstAttempt {
    target: string;
    /** The attempt made, or the one to make next when it was deferred. */
    attempt: number;
    result: DeliverAttemptResult;
    /**
     * Set when the target ended with it: delivered, failed for good, or out of attempts or time. Unset: it has to
     * wait (a transient failure, a deferral), and the orchestration decides until when from `result`.
     */
    outcome?: TargetOutcome;
}

/** Output of `decideAndDeliver`: the decision's plan, each target's first attempt, the status once recorded. */
export interface FirstPass extends DecisionPlan {
    attempts: FirstAttempt[];
    /** Set when every target ended with its first attempt and the lead's outcome is recorded. */
    recorded?: LeadStatus;
    /** The owner's SLA, when the lead has one: the orchestration waits for the acknowledgement until `dueAt`. */
    sla?: SlaWait;
}

/** What the SLA wait needs: when the current owner's time is up, and which owner round it is. */
export interface SlaWait {
    dueAt: string;
    round: number;
}

/** The input of `escalateLead`: the round whose SLA was breached, at the orchestration's time. */
export interface EscalateActivityInput {
    leadId: string;
    round: number;
    now: string;
    trace?: TraceCarrier;
}

/**
 * What `escalateLead` answers: a new wait (reassigned or managers told), or the end of the SLA; `send`: the targets
 * the orchestration delivers to for this breach (absent in histories of runs whose activity sent them itself).
 */
export type EscalationResult = (
    { state: 'waiting'; sla: SlaWait } | { state: 'acknowledged' | 'unattended' | 'no-sla' }
) & {
    send?: EscalationSendPlan;
};

/** The breach's deliveries: the round they belong to and each target with what it gets. */
export interface EscalationSendPlan {
    round: number;
    targets: { target: string; kind: EscalationDelivery['kind'] }[];
}

/** What one target's delivery sub-orchestration returns. */
export type TargetOutcome = RunOutcome;

export interface RecordOutcomeInput {
    leadId: string;
    receivedAt: string;
    /** The run whose outcomes these are: only rows it still claims are ended by them. */
    runId: string;
    outcomes: TargetOutcome[];
}

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
    trace: TraceCarrier;
}
