/**
 * Who may deliver a lead's target, and when that stops. A `pending`/`retrying` row is a claim of the run named in
 * `claimedBy`, which writes the row on every attempt and records its outcome shortly after its deadline (counted from
 * its start, so from after the claim). A claim no run will finish is abandoned: its run has ended, or it is older
 * than the deadline plus {@link CLAIM_EXPIRY_MARGIN_MINUTES}; a redelivery may then claim the target again.
 */
import type { DeliveryRecord, LeadHistoryEntry, LeadRecord, LeadStatus } from './LeadRecord';
import { leadStatuses } from './LeadRecord';

/**
 * How long past the delivery deadline a claim may stay untouched before it counts as abandoned: room for the last
 * attempt's timeout, recording the outcome and a busy host's queueing.
 */
export const CLAIM_EXPIRY_MARGIN_MINUTES = 10;

/** Why a claim no longer protects its target: too old to belong to a live run, or its run is known to have ended. */
export type AbandonReason = 'deadline-passed' | 'run-ended';

/** A durable run as a claim check sees it; `unknown` (no such instance, yet or any more) proves nothing. */
export type RunState = 'running' | 'ended' | 'unknown';

/**
 * What the operations API shows: the stored status, or `stalled` for one left `delivering` by a run that is gone.
 * An erased lead is in no list (only its tombstone is left, with no index row).
 */
export type ListedStatus = LeadStatus | 'stalled';
export const listedStatuses: readonly ListedStatus[] = leadStatuses.flatMap((s): ListedStatus[] =>
    s === 'erased' ? [] : s === 'delivering' ? [s, 'stalled'] : [s],
);

/** A row some run is delivering (or about to): its claim, see `DeliveryRecord.claimedBy`. */
export const isInProgress = (row: Pick<DeliveryRecord, 'status'>): boolean =>
    row.status === 'pending' || row.status === 'retrying';

/**
 * Before this time a claim last changed (or a lead set `delivering`) belongs to no live run. Without a deadline
 * (not configured) nothing ever expires.
 */
export function abandonedBefore(now: Date, deadlineMinutes: number | undefined): Date | undefined {
    if (deadlineMinutes === undefined) return undefined;
    return new Date(now.getTime() - (deadlineMinutes + CLAIM_EXPIRY_MARGIN_MINUTES) * 60_000);
}

export function claimExpired(
    row: Pick<DeliveryRecord, 'status' | 'updatedAt'>,
    now: Date,
    deadlineMinutes: number | undefined,
): boolean {
    const cutoff = abandonedBefore(now, deadlineMinutes);
    return cutoff !== undefined && isInProgress(row) && Date.parse(row.updatedAt) < cutoff.getTime();
}

/**
 * A young claim is abandoned once its run has ended and so has the run's delivery sub-orchestration for the target
 * (terminating a parent does not stop its sub-orchestrations, which keep attempting); `unknown` for the child means
 * the run ended before it started that target's delivery.
 */
export const endedWithItsRun = (run: RunState, child: RunState): boolean => run === 'ended' && child !== 'running';

/** A lead listed with `statusAt` before `cutoff` (see {@link abandonedBefore}) is `stalled` if still `delivering`. */
export function listedStatus(status: LeadStatus, statusAt: string | undefined, cutoff: Date | undefined): ListedStatus {
    const old = cutoff !== undefined && statusAt !== undefined && statusAt < cutoff.toISOString();
    return status === 'delivering' && old ? 'stalled' : status;
}

/** The lead as shown alone: `stalled` when a claim is abandoned and no other target is still in progress. */
export function viewedStatus(record: LeadRecord, abandoned: ReadonlyMap<string, AbandonReason>): ListedStatus {
    const live = record.deliveries.some((row) => isInProgress(row) && !abandoned.has(row.target));
    const anyStalled = record.deliveries.some((row) => abandoned.has(row.target));
    return record.status === 'delivering' && anyStalled && !live ? 'stalled' : record.status;
}

export type RedeliveryRefusal =
    | { kind: 'not-deliverable'; message: string }
    /** A target it would deliver is being delivered by a live run: try again once that run has finished. */
    | { kind: 'being-delivered'; message: string; target: string };

/** The targets as they are now: which are on, and which roles each qualification outcome may reach. */
export interface TargetsNow {
    enabled: ReadonlySet<string>;
    deliverTo: Readonly<Partial<Record<string, readonly string[]>>>;
}

/**
 * A row skipped when the lead was decided that may be delivered now: its target is on now (it was not configured or
 * not enabled then) and the lead's outcome may reach the target's role. An outreach target of a do-not-contact lead
 * stays skipped whatever is configured.
 */
export function skipLifted(row: DeliveryRecord, record: LeadRecord, now: TargetsNow | undefined): boolean {
    if (now === undefined || row.status !== 'skipped' || !now.enabled.has(row.target)) return false;
    const outcome = record.decision?.qualification?.outcome;
    return outcome !== undefined && (now.deliverTo[outcome] ?? []).includes(row.role);
}

/**
 * The rows a redelivery takes: the named target (even if delivered: its idempotency key stays the same), or every
 * routed target that is not delivered, including one skipped as not configured that is configured `now`. A row some
 * live run is delivering (`isBusy`) is never taken.
 */
export function chooseForRedelivery(
    record: LeadRecord,
    target: string | undefined,
    isBusy: (row: DeliveryRecord) => boolean,
    now?: TargetsNow,
): DeliveryRecord[] | RedeliveryRefusal {
    const refuse = (message: string): RedeliveryRefusal => ({ kind: 'not-deliverable', message });
    if (record.decision === undefined) return refuse('The lead is not decided yet.');
    if (record.status === 'destination-validated') return refuse('Test leads are never delivered.');
    const busy = (d: DeliveryRecord): RedeliveryRefusal => ({
        kind: 'being-delivered',
        target: d.target,
        message: `Target ${d.target} is being delivered (${d.status}); try again when that delivery has finished.`,
    });
    const routed = record.deliveries.filter((d) => d.status !== 'skipped' || skipLifted(d, record, now));
    if (target !== undefined) {
        const row = routed.find((d) => d.target === target);
        if (row !== undefined) return isBusy(row) ? busy(row) : [row];
        const skipped = record.deliveries.find((d) => d.target === target);
        return refuse(
            skipped === undefined
                ? `Target ${target} is not routed for this lead.`
                : `Target ${target} was routed but skipped: ${skipped.skippedReason ?? 'skipped'}.`,
        );
    }
    const open = routed.filter((d) => d.status !== 'delivered');
    const ready = open.filter((d) => !isBusy(d));
    if (ready.length > 0) return ready;
    const running = open.find(isBusy);
    if (running !== undefined) return busy(running);
    if (routed.length > 0) return refuse('Every routed target is delivered.');
    return refuse(
        record.deliveries.length === 0
            ? 'No target was routed for this lead.'
            : 'Every target the lead was routed to was skipped (see each delivery’s skippedReason).',
    );
}

/**
 * The chosen rows claimed by `runId` at `at`, written only if each is still as read (its ETag). A row that was skipped
 * is no longer: its skip reason goes with the claim.
 */
export const claimRows = (rows: readonly DeliveryRecord[], runId: string, at: string): DeliveryRecord[] =>
    rows.map((d) => ({ ...d, status: 'pending', updatedAt: at, claimedBy: runId, skippedReason: undefined }));

/** One `claim-expired` history entry per abandoned claim a redelivery takes over, saying why. */
export function claimExpiredEntries(
    chosen: readonly DeliveryRecord[],
    abandoned: ReadonlyMap<string, AbandonReason>,
    at: string,
): LeadHistoryEntry[] {
    return chosen.flatMap((d) => {
        const reason = abandoned.get(d.target);
        if (reason === undefined) return [];
        const detail = { target: d.target, status: d.status, since: d.updatedAt, reason };
        return [
            {
                at,
                kind: 'claim-expired',
                detail: d.claimedBy === undefined ? detail : { ...detail, claimedBy: d.claimedBy },
            },
        ];
    });
}

/**
 * A claim given back (its run could not start): each row still claimed by `runId` returns to how it was before the
 * claim (status, time, owner), so an expired claim given back stays expired.
 */
export function releasedRows(
    current: readonly DeliveryRecord[],
    chosen: readonly DeliveryRecord[],
    runId: string,
): DeliveryRecord[] {
    return current.flatMap((d) => {
        const original = chosen.find((c) => c.target === d.target);
        if (original === undefined || d.status !== 'pending' || d.claimedBy !== runId) return [];
        return [
            {
                ...d,
                status: original.status,
                updatedAt: original.updatedAt,
                claimedBy: original.claimedBy,
                skippedReason: original.skippedReason,
            },
        ];
    });
}
