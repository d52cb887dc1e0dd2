/**
 * What a lead's delivery rows become: written by the decision, changed by every attempt, merged with a run's outcome
 * when it ends, and the lead status that follows from them. Pure: the use cases read and commit the rows.
 */
import type { QualificationOutcome, RoutedTarget } from '../Decision';
import { isInProgress } from './deliveryClaims';
import type { CallInFlight, DeliveryRecord, DeliveryStatus, LeadHistoryEntry, LeadStatus } from './LeadRecord';

/** The rows a first decision writes: routed targets that are enabled are claimed by `runId`, the others skipped. */
export function decidedRows(
    targets: readonly RoutedTarget[],
    enabled: ReadonlySet<string>,
    runId: string,
    at: string,
): DeliveryRecord[] {
    return targets.map((t) => {
        const skippedReason = t.skippedReason ?? (enabled.has(t.target) ? undefined : 'target is not enabled');
        return {
            target: t.target,
            role: t.role,
            status: skippedReason === undefined ? 'pending' : 'skipped',
            attempts: 0,
            skippedReason,
            updatedAt: at,
            ...(skippedReason === undefined ? { claimedBy: runId } : {}),
        };
    });
}

/**
 * The status a decision ends a lead with, or undefined when it goes on to delivery: test and blank leads are never
 * delivered; a lead with no target to deliver is `not-routed` when routing chose none, `skipped` when it chose
 * targets and every one was skipped.
 */
export function statusAfterDecision(
    outcome: QualificationOutcome,
    rows: readonly DeliveryRecord[],
): LeadStatus | undefined {
    if (outcome === 'test') return 'destination-validated';
    if (outcome === 'blank') return 'blank';
    if (rows.some(isInProgress)) return undefined;
    return rows.length === 0 ? 'not-routed' : 'skipped';
}

/** A lead that is not delivered (a test or blank lead) keeps its routed rows, each skipped and claimed by no run. */
export const skippedRows = (rows: readonly DeliveryRecord[], reason: string): DeliveryRecord[] =>
    rows.map((d) => ({ ...d, status: 'skipped', skippedReason: d.skippedReason ?? reason, claimedBy: undefined }));

/**
 * The row as a call starts: the call is added to the calls in flight (attempt, run, time), so whoever reads the row
 * next knows a call was made even if its result never arrives. The row stays (or becomes) the run's claim.
 */
export function rowBeforeCall(
    current: DeliveryRecord | undefined,
    call: { target: string; role: string; runId: string; attempt: number; at: string },
): DeliveryRecord {
    const base: DeliveryRecord = current ?? {
        target: call.target,
        role: call.role,
        status: 'pending',
        attempts: 0,
        updatedAt: call.at,
    };
    return {
        ...base,
        status: isInProgress(base) ? base.status : 'pending',
        inFlight: [...(base.inFlight ?? []), { attempt: call.attempt, run: call.runId, since: call.at }],
        updatedAt: call.at,
        claimedBy: call.runId,
    };
}

/** The call an attempt made, as `rowBeforeCall` marked it. */
export type MarkedCall = Pick<CallInFlight, 'attempt' | 'since'>;

const sameCall = (c: CallInFlight, runId: string, call: MarkedCall) =>
    c.run === runId && c.attempt === call.attempt && c.since === call.since;
/** An earlier execution of the same attempt of the same run: the activity ran again, so that call's outcome is lost. */
const earlierExecution = (c: CallInFlight, runId: string, call: MarkedCall) =>
    c.run === runId && c.attempt === call.attempt && c.since < call.since;

/** History entries for the calls an attempt's result finds in doubt (see {@link rowAfterAttempt}). */
export function callsInDoubt(
    current: DeliveryRecord | undefined,
    attempt: { target: string; runId: string; at: string; call?: MarkedCall },
): LeadHistoryEntry[] {
    const { call } = attempt;
    if (call === undefined) return [];
    return (current?.inFlight ?? [])
        .filter((c) => earlierExecution(c, attempt.runId, call))
        .map((c) => ({
            at: attempt.at,
            kind: 'delivery-in-doubt',
            detail: { target: attempt.target, attempt: c.attempt, run: c.run, since: c.since },
        }));
}

export interface AttemptResult {
    /** `not-sent`: the attempt stopped before any request reached the target (its request budget was exhausted). */
    outcome: 'delivered' | 'transient' | 'permanent' | 'not-sent';
    externalId?: string;
    /** Delivered by creating the record, not by updating one found. */
    created?: boolean;
    error?: string;
    httpStatus?: number;
}

/**
 * The target's row after one attempt at `at`, its call (`call`, as marked by {@link rowBeforeCall}) no longer in
 * flight: every attempt that sent a request counts, and so does every call an earlier execution of the same attempt
 * left in flight (its outcome is unknown: counted in `inDoubt` too; {@link callsInDoubt} gives their history).
 * A permanent failure is final at once, so the target is free for a redelivery while others still run; a transient
 * one stays this run's claim, alive from `at`. An attempt that sent nothing (`not-sent`) is not counted.
 */
export function rowAfterAttempt(
    current: DeliveryRecord | undefined,
    attempt: { target: string; role: string; runId: string; at: string; result: AttemptResult; call?: MarkedCall },
): DeliveryRecord {
    const { result, at, call } = attempt;
    const calls = current?.inFlight ?? [];
    const doubts = call === undefined ? [] : calls.filter((c) => earlierExecution(c, attempt.runId, call));
    const left = calls.filter(
        (c) => call === undefined || !(sameCall(c, attempt.runId, call) || earlierExecution(c, attempt.runId, call)),
    );
    const inFlight = left.length === 0 ? undefined : left;
    const inDoubt = doubts.length === 0 ? current?.inDoubt : (current?.inDoubt ?? 0) + doubts.length;
    const counted = (current?.attempts ?? 0) + doubts.length;
    if (result.outcome === 'not-sent') {
        // Not an attempt: nothing reached the target. The row stays the run's claim, as it was before the call.
        const base = current ?? { target: attempt.target, role: attempt.role, status: 'pending', attempts: 0 };
        return {
            ...base,
            status: isInProgress(base) ? base.status : 'pending',
            attempts: counted,
            inFlight,
            inDoubt,
            updatedAt: at,
            claimedBy: attempt.runId,
        };
    }
    const delivered = result.outcome === 'delivered';
    return {
        target: attempt.target,
        role: current?.role ?? attempt.role,
        status: delivered ? 'delivered' : result.outcome === 'permanent' ? 'failed' : 'retrying',
        attempts: counted + 1,
        externalId: delivered ? result.externalId : current?.externalId,
        ...((delivered ? result.created : current?.created) === true ? { created: true } : {}),
        lastError: delivered ? undefined : result.error,
        lastHttpStatus: result.httpStatus,
        updatedAt: at,
        deliveredAt: delivered ? at : undefined,
        claimedBy: result.outcome === 'transient' ? attempt.runId : undefined,
        inFlight,
        inDoubt,
        etag: current?.etag,
    };
}

/** What a run reports for one target when it ends. */
export interface RunOutcome {
    target: string;
    status: DeliveryStatus;
    attempts: number;
    externalId?: string;
    lastError?: string;
    lastHttpStatus?: number;
}

/**
 * The rows after a run's end, merged, never overwritten: a final row was written by the attempt that ended it (this
 * run's or a newer one's) and is kept; a row still claimed by this run is the run giving up, so it becomes `failed`;
 * a row claimed by another run belongs to a newer run and is kept. A target without a row gets the run's outcome.
 */
export function mergeRunOutcomes(
    rows: readonly DeliveryRecord[],
    outcomes: readonly RunOutcome[],
    runId: string,
    at: string,
): { rows: DeliveryRecord[]; changed: DeliveryRecord[] } {
    const changed: DeliveryRecord[] = [];
    const merged = rows.map((row) => {
        const o = outcomes.find((x) => x.target === row.target);
        if (o === undefined || !isInProgress(row) || row.claimedBy !== runId || o.status !== 'failed') return row;
        const gaveUp: DeliveryRecord = {
            ...row,
            status: 'failed',
            attempts: Math.max(row.attempts, o.attempts),
            lastError: o.lastError ?? row.lastError,
            lastHttpStatus: o.lastHttpStatus ?? row.lastHttpStatus,
            updatedAt: at,
            claimedBy: undefined,
        };
        changed.push(gaveUp);
        return gaveUp;
    });
    for (const o of outcomes.filter((x) => !rows.some((d) => d.target === x.target))) {
        const row: DeliveryRecord = {
            target: o.target,
            role: 'outreach',
            status: o.status,
            attempts: o.attempts,
            externalId: o.externalId,
            lastError: o.status === 'delivered' ? undefined : o.lastError,
            lastHttpStatus: o.lastHttpStatus,
            updatedAt: at,
            deliveredAt: o.status === 'delivered' ? at : undefined,
        };
        changed.push(row);
        merged.push(row);
    }
    return { rows: merged, changed };
}

/**
 * The lead's status from its targets' rows (skipped targets do not count). While any target is still pending or
 * retrying (another run is delivering it) the lead is `delivering`: no final status a poller would stop on.
 */
export function leadStatusOf(rows: readonly Pick<DeliveryRecord, 'status'>[]): LeadStatus {
    const counted = rows.filter((o) => o.status !== 'skipped');
    if (counted.length === 0) return rows.length === 0 ? 'not-routed' : 'skipped';
    if (counted.some(isInProgress)) return 'delivering';
    const delivered = counted.filter((o) => o.status === 'delivered').length;
    if (delivered === counted.length) return 'delivered';
    return delivered === 0 ? 'failed' : 'partially-delivered';
}
