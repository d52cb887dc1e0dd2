import {
    callsInDoubt,
    decide,
    decidedRows,
    type DeliveryRecord,
    isInProgress,
    type LeadDecision,
    type LeadHistoryEntry,
    type LeadRecord,
    type LeadSla,
    type LeadStatus,
    leadStatusOf,
    mergeRunOutcomes,
    type PipelineConfig,
    type RoutedTarget,
    rowAfterAttempt,
    rowBeforeCall,
    type RunOutcome,
    skippedRows,
    slaDueAt,
    slaMinutes,
    statusAfterDecision,
} from '../domain/index';
import type { AssignmentStore } from '../ports/AssignmentStore';
import type { DeliveryTarget } from '../ports/DeliveryTarget';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
import { SpanKind, withSpan } from '../telemetry/withSpan';
import { type AckLinks, ackRequestFor } from './ackLink';
import { assignLead } from './assignLead';
import { type Attempted, callTarget } from './callTarget';
import { commitWithRetry, DeliveryConflictError } from './commitWithRetry';
import { asAttemptResult, attemptHistory, MAX_WRITE_TRIES } from './deliverToTarget';
import type { DecisionPlan, DeliverAttemptResult, DeliveryPolicy, FirstAttempt, FirstPass } from './pipelineTypes';
import { deferralDelayMs, nextAttemptAt } from './retryDelay';
import type { TargetGate } from './targetGate';

export interface DecideAndDeliverDeps {
    leads: LeadRepository;
    config: PipelineConfig;
    /** Targets whose adapter is enabled (`enabled: "auto"` resolved against the settings). */
    enabledTargets: ReadonlySet<string>;
    target(name: string): DeliveryTarget | undefined;
    logger: Logger;
    /** The wall clock, for the attempts (the decision uses the orchestration's time). */
    now(): Date;
    gate?: TargetGate;
    /** Owner assignment's shared state; without it (or with assignment off) no owner is assigned. */
    assignments?: AssignmentStore;
    /** Signs acknowledgement links; without a key the SLA still runs, with no link on the notifications. */
    ackLinks?: AckLinks;
}

export interface DecideAndDeliverInput {
    leadId: string;
    /** The orchestration's time: the decision's time, and the start of the delivery deadline. */
    now: Date;
    runId: string;
}

/**
 * The lead pipeline's first and, for most leads, only activity: decide (qualify → score → route, as `decideLead`),
 * make the first attempt of every routed target at once, and when each target ended with it (delivered, failed for
 * good, or out of attempts or time) record the lead's outcome, in the same execution and with two writes of the
 * lead's partition: the decision with every call marked in flight (so a call whose worker stops is known and
 * counted when the activity runs again), then every attempt's row with the lead's status. A target that has to wait
 * (a transient failure, a busy target, an exhausted budget) is reported with when to try again, and the orchestration
 * waits for it on a durable timer. Idempotent as `decideLead` and `deliverToTarget` are: a stored decision is kept,
 * a delivered target is not called again.
 */
export async function decideAndDeliver(deps: DecideAndDeliverDeps, input: DecideAndDeliverInput): Promise<FirstPass> {
    const decided = await withSpan('lead.decide', { 'lead.id': input.leadId }, () => decideOnce(deps, input));
    if ('pass' in decided) return decided.pass;
    const { record, decision, rows, plan, firstDecision, sla } = decided;
    const acknowledge = ackRequestFor(
        deps.ackLinks,
        deps.config.assignment?.ackLinkHours,
        input.leadId,
        sla,
        input.now,
    );
    const slaWait =
        sla?.state === 'waiting' && sla.dueAt !== undefined ? { dueAt: sla.dueAt, round: sla.round } : undefined;

    // Which targets this run calls now: its own claims, each admitted by the worker's gate.
    const stored = firstDecision ? rows : record.deliveries;
    const releases = new Map<string, () => void>();
    const settled: FirstAttempt[] = [];
    for (const target of plan.targets) {
        const row = stored.find((d) => d.target === target);
        const already = row === undefined ? undefined : endedRow(row);
        if (already !== undefined) {
            settled.push({ target, attempt: row!.attempts, result: already.result, outcome: already.outcome });
            continue;
        }
        const release =
            row !== undefined && isInProgress(row) && row.claimedBy !== input.runId
                ? undefined
                : deps.gate === undefined
                  ? () => undefined
                  : deps.gate.tryEnter(target);
        if (release === undefined) {
            deps.logger.info('Delivery attempt deferred: target busy', { leadId: input.leadId, target });
            pipelineMetrics().deliveryAttempts.add(1, { target, outcome: 'deferred' });
            settled.push(
                deferredAttempt(target, row ?? { attempts: 0 }, plan.policy, input.now, deps.now(), undefined),
            );
        } else releases.set(target, release);
    }
    try {
        const called = [...releases.keys()];
        const started = deps.now();
        const current = await markCalls(deps, record, decision, rows, called, input, started, firstDecision, sla);
        const state: Progress = { record: current, started, committed: new Set() };
        let left = called.length;
        let chain: Promise<void> = Promise.resolve();
        const callOne = (target: string, deliveries: readonly DeliveryRecord[]) =>
            withSpan(
                'lead.deliver',
                { 'lead.id': input.leadId, 'target.name': target, 'delivery.attempt': 1 },
                async () => {
                    let call: Call;
                    try {
                        // The lead pipeline's first attempt; a call an earlier execution left in flight is
                        // counted (in doubt) when this one's result is recorded.
                        const attempt = 1;
                        const made = await callTarget(
                            () => deps.target(target),
                            {
                                leadId: input.leadId,
                                target,
                                attempt,
                                lead: record.lead,
                                decision,
                                deliveries,
                                ...(acknowledge === undefined ? {} : { acknowledge }),
                            },
                            () => deps.now(),
                        );
                        call = { target, attempt, ...made };
                    } finally {
                        releases.get(target)?.();
                    }
                    // A target that answers while others are still called is written at once (a failed one is
                    // then free for a redelivery); the last one is written with the lead's outcome.
                    if (--left > 0) {
                        const settledCall = call;
                        chain = chain.then(async () => {
                            await commitCalls(deps, input, plan, state, [settledCall], settled);
                        });
                    }
                    return call;
                },
                { kind: SpanKind.CLIENT },
            );
        // Notifications go out once the CRMs have answered, so the card links to the records they wrote (each call is
        // bounded by its timeout); all in this one execution.
        const isNotify = (t: string) => decision.route.targets.find((r) => r.target === t)?.role === 'notify';
        const first = called.filter((t) => !isNotify(t)).map((t) => callOne(t, current.deliveries));
        const then = called.filter(isNotify);
        const notified =
            then.length === 0
                ? Promise.resolve([])
                : Promise.allSettled(first).then((settledFirst) => {
                      const written = settledFirst.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
                      const rows = current.deliveries.map((row) => {
                          const made = written.find((c) => c.target === row.target)?.result;
                          return made?.outcome === 'delivered' && made.externalId !== undefined
                              ? { ...row, status: 'delivered' as const, externalId: made.externalId }
                              : row;
                      });
                      return Promise.all(then.map((t) => callOne(t, rows)));
                  });
        const calls = [...(await Promise.all(first)), ...(await notified)];
        await chain;
        const ending = calls.length + settled.length === plan.targets.length;
        return await withSpan(
            ending ? 'lead.record_outcome' : 'lead.record_attempts',
            { 'lead.id': input.leadId },
            () => recordFirstAttempts(deps, { input, plan, decision, state, calls, settled, firstDecision }),
        ).then((pass) => (slaWait === undefined ? pass : { ...pass, sla: slaWait }));
    } finally {
        for (const release of releases.values()) release();
    }
}

type Decided =
    | { pass: FirstPass }
    | {
          record: LeadRecord;
          decision: NonNullable<LeadRecord['decision']>;
          rows: DeliveryRecord[];
          plan: DecisionPlan;
          firstDecision: boolean;
          sla?: LeadSla;
      };

/** The decision: the stored one, or a new one (a lead that is not delivered is stored as finished here). */
async function decideOnce(deps: DecideAndDeliverDeps, input: DecideAndDeliverInput): Promise<Decided> {
    const record = await deps.leads.get(input.leadId);
    if (record === undefined) {
        // A lead event replayed after its person was erased: the run ends with nothing to deliver (and stores nothing).
        if ((await deps.leads.findExisting([input.leadId]))?.status === 'erased') {
            const erased: DecisionPlan = {
                configVersion: deps.config.version,
                outcome: 'erased',
                grade: '',
                finalStatus: 'erased',
                targets: [],
                policy: deps.config.delivery,
            };
            return { pass: { ...erased, attempts: [] } };
        }
        throw new Error(`Lead ${input.leadId} is not stored`);
    }
    const at = input.now.toISOString();
    const firstDecision = record.decision === undefined;
    let decision =
        record.decision ?? decide(record.lead, deps.config, input.now, { availableTargets: deps.enabledTargets });
    let sla = record.sla;
    if (firstDecision && decision.queue !== undefined)
        ({ decision, sla } = await assign(deps, input, record, decision));
    const rows = decidedRows(decision.route.targets, deps.enabledTargets, input.runId, at);
    const targets = rows.filter((d) => d.status === 'pending').map((d) => d.target);
    const finalStatus = statusAfterDecision(decision.qualification.outcome, rows);
    const plan: DecisionPlan = {
        configVersion: decision.configVersion,
        outcome: decision.qualification.outcome,
        grade: decision.score.grade,
        finalStatus,
        targets: finalStatus === undefined ? targets : [],
        policy: deps.config.delivery,
    };
    if (firstDecision) {
        pipelineMetrics().leadOutcomes.add(1, { outcome: decision.qualification.outcome });
        pipelineMetrics().leadScore.record(decision.score.points, { grade: decision.score.grade });
    }
    deps.logger.info('Lead decided', {
        leadId: input.leadId,
        outcome: decision.qualification.outcome,
        grade: decision.score.grade,
        targets: plan.targets.length,
        configVersion: decision.configVersion,
    });
    if (finalStatus === undefined)
        return { record, decision, rows, plan, firstDecision, ...(sla === undefined ? {} : { sla }) };
    if (firstDecision) {
        const skipped = skippedRows(rows, `${decision.qualification.outcome} lead`);
        await deps.leads.saveDecision(record, decision, finalStatus, skipped, input.now);
    }
    return { pass: { ...plan, attempts: [] } };
}

/** A target this run finds already ended (the activity ran before and got as far as its commit). */
function endedRow(row: DeliveryRecord): { result: DeliverAttemptResult; outcome: RunOutcome } | undefined {
    if (row.status === 'delivered') {
        return {
            result: { outcome: 'delivered', externalId: row.externalId, alreadyDelivered: true },
            outcome: outcomeOf(row),
        };
    }
    if (row.status === 'failed' || row.status === 'skipped') {
        return { result: { outcome: 'permanent', error: row.lastError ?? row.status }, outcome: outcomeOf(row) };
    }
    return undefined;
}

const outcomeOf = (row: DeliveryRecord): RunOutcome => ({
    target: row.target,
    status: row.status,
    attempts: row.attempts,
    externalId: row.externalId,
    lastError: row.lastError,
    lastHttpStatus: row.lastHttpStatus,
});

/** A target not called now (busy, or its budget exhausted): when to try again, or failed when that is too late. */
function deferredAttempt(
    target: string,
    row: Pick<DeliveryRecord, 'attempts' | 'lastError' | 'lastHttpStatus'>,
    policy: DeliveryPolicy,
    decidedAt: Date,
    now: Date,
    notSent: Extract<Attempted, { outcome: 'not-sent' }> | undefined,
): FirstAttempt {
    const attempts = row.attempts;
    const byDeferral = now.getTime() + deferralDelayMs(policy, 0);
    const asked = notSent?.retryAt === undefined ? NaN : Date.parse(notSent.retryAt);
    const fireAt = Number.isFinite(asked) ? Math.max(byDeferral, asked) : byDeferral;
    const result: DeliverAttemptResult =
        notSent === undefined
            ? { outcome: 'deferred', reason: `${target} has as many calls in flight as it may` }
            : asAttemptResult(target, notSent);
    if (fireAt > deadlineOf(decidedAt, policy)) {
        const reason = result.outcome === 'deferred' ? result.reason : 'deferred';
        return {
            target,
            attempt: attempts + 1,
            result,
            outcome: {
                target,
                status: 'failed',
                attempts,
                lastError: row.lastError ?? `deferred until the deadline: ${reason}`,
                lastHttpStatus: row.lastHttpStatus,
            },
        };
    }
    return { target, attempt: attempts + 1, result };
}

/** No attempt starts after this: `deadlineMinutes` from the run's first step (the orchestration's time). */
export const deadlineOf = (decidedAt: Date, policy: DeliveryPolicy): number =>
    decidedAt.getTime() + policy.deadlineMinutes * 60_000;

/**
 * Stores the decision with the calls about to be made marked in flight (one transaction), or, when the decision was
 * stored by an earlier run of this activity, marks the calls on the stored rows; resolves the lead as written.
 */
async function markCalls(
    deps: DecideAndDeliverDeps,
    record: LeadRecord,
    decision: NonNullable<LeadRecord['decision']>,
    decided: DeliveryRecord[],
    called: string[],
    input: DecideAndDeliverInput,
    started: Date,
    firstDecision: boolean,
    sla: LeadSla | undefined,
): Promise<LeadRecord> {
    const at = started.toISOString();
    const call = (row: DeliveryRecord) => ({ target: row.target, role: row.role, runId: input.runId, attempt: 1, at });
    if (firstDecision) {
        const rows = decided.map((row) => (called.includes(row.target) ? rowBeforeCall(row, call(row)) : row));
        // Nothing to call (every target busy): the list shows the lead delivering from now, as nothing else will.
        const written = await deps.leads.saveDecision(record, decision, 'delivering', rows, input.now, {
            index: called.length === 0,
            ...(sla === undefined ? {} : { sla }),
        });
        return { ...record, decision, status: 'delivering', deliveries: written };
    }
    if (called.length === 0) return record;
    await commitWithRetry(
        deps.leads,
        input.leadId,
        (current) => {
            const rows = called.map((target) => {
                const row = current?.deliveries.find((d) => d.target === target);
                return rowBeforeCall(row, {
                    target,
                    role: row?.role ?? 'outreach',
                    runId: input.runId,
                    attempt: 1,
                    at,
                });
            });
            const history: LeadHistoryEntry = {
                at,
                kind: 'delivery-started',
                detail: { targets: called.join(','), run: input.runId },
            };
            return { commit: { deliveries: rows, history, now: started }, result: undefined };
        },
        { maxTries: MAX_WRITE_TRIES, first: record },
    );
    const again = await deps.leads.get(input.leadId);
    if (again === undefined) throw new Error(`Lead ${input.leadId} is not stored`);
    return again;
}

interface Call {
    target: string;
    attempt: number;
    result: Attempted;
    role: string;
}

/** The lead as this run last wrote it (rows with their ETags), and which calls are written already. */
interface Progress {
    record: LeadRecord;
    started: Date;
    committed: Set<string>;
}

/**
 * Writes `calls`' rows (and, with `outcome`, the lead's status and completion) in one transaction checked against
 * the rows' ETags, read and merged again when another writer got there first. Resolves the lead status written.
 */
async function commitCalls(
    deps: DecideAndDeliverDeps,
    input: DecideAndDeliverInput,
    plan: DecisionPlan,
    state: Progress,
    calls: Call[],
    settled: FirstAttempt[],
    outcome?: { attempts: FirstAttempt[]; decision?: LeadDecision },
): Promise<LeadStatus> {
    const now = deps.now();
    const at = now.toISOString();
    const deadline = deadlineOf(input.now, plan.policy);
    const ended = [
        ...(outcome?.attempts ?? [
            ...settled,
            ...calls.map((c) => firstAttemptOf(c, plan.policy, input.now, now, deadline)),
        ]),
    ];
    const history = calls.map((c) => attemptHistory({ ...c, runId: input.runId }, c.result, now, state.started));
    for (let tries = 1; ; tries++) {
        const record = state.record;
        const doubts: LeadHistoryEntry[] = [];
        const afterCalls = record.deliveries.map((row) => {
            const call = calls.find((c) => c.target === row.target);
            if (call === undefined) return row;
            const made = {
                target: call.target,
                role: call.role,
                runId: input.runId,
                at,
                result: call.result,
                call: { attempt: call.attempt, since: state.started.toISOString() },
            };
            doubts.push(...callsInDoubt(row, made));
            return rowAfterAttempt(row, made);
        });
        const gaveUp = ended.flatMap((a) =>
            a.outcome?.status === 'failed' && (outcome !== undefined || calls.some((c) => c.target === a.target))
                ? [a.outcome]
                : [],
        );
        const { rows } = mergeRunOutcomes(afterCalls, gaveUp, input.runId, at);
        const next = leadStatusOf(rows);
        const changed = rows.filter((row, i) => row !== record.deliveries[i]);
        const entries = [
            ...doubts,
            ...history,
            ...(outcome !== undefined && next !== 'delivering'
                ? [{ at, kind: 'completed', detail: { status: next } }]
                : []),
        ];
        const written = await deps.leads.commitDeliveries(record, {
            deliveries: changed,
            unchanged: record.deliveries.filter((d) => !changed.some((c) => c.target === d.target)),
            ...(outcome === undefined
                ? {}
                : {
                      status: next,
                      completed: next !== 'delivering',
                      ...(outcome.decision === undefined ? {} : { decision: outcome.decision }),
                  }),
            history: entries[0] ?? { at, kind: 'delivery-deferred', detail: { run: input.runId } },
            moreHistory: entries.slice(1),
            now,
        });
        if (written !== false) {
            state.record = {
                ...record,
                deliveries: record.deliveries.map((d) => written.find((w) => w.target === d.target) ?? d),
            };
            for (const c of calls) state.committed.add(c.target);
            return next;
        }
        if (tries >= MAX_WRITE_TRIES) throw new DeliveryConflictError(input.leadId, tries);
        const again = await deps.leads.get(input.leadId);
        if (again === undefined) throw new Error(`Lead ${input.leadId} is not stored`);
        state.record = again;
    }
}

/** The last write of the first step: the calls not written yet, the lead's status, and what the run reports. */
async function recordFirstAttempts(
    deps: DecideAndDeliverDeps,
    made: {
        input: DecideAndDeliverInput;
        plan: DecisionPlan;
        decision: LeadDecision;
        state: Progress;
        calls: Call[];
        settled: FirstAttempt[];
        firstDecision: boolean;
    },
): Promise<FirstPass> {
    const { input, plan, calls, state } = made;
    const now = deps.now();
    const deadline = deadlineOf(input.now, plan.policy);
    const attempts: FirstAttempt[] = [...made.settled];
    for (const call of calls) {
        pipelineMetrics().deliveryAttempts.add(1, { target: call.target, outcome: call.result.outcome });
        attempts.push(firstAttemptOf(call, plan.policy, input.now, now, deadline));
    }
    const unwritten = calls.filter((c) => !state.committed.has(c.target));
    const status = await commitCalls(deps, input, plan, state, unwritten, made.settled, {
        attempts,
        ...(made.firstDecision ? { decision: made.decision } : {}),
    });
    for (const call of calls) {
        deps.logger.info('Delivery attempt finished', {
            leadId: input.leadId,
            target: call.target,
            attempt: call.attempt,
            outcome: call.result.outcome,
            httpStatus: 'httpStatus' in call.result ? call.result.httpStatus : undefined,
        });
    }
    const recorded: LeadStatus | undefined = status === 'delivering' ? undefined : status;
    if (recorded !== undefined) {
        for (const a of attempts)
            if (a.outcome !== undefined)
                pipelineMetrics().deliveries.add(1, { target: a.target, outcome: a.outcome.status });
        recordSpeed(state.record, calls, now);
        const latency = now.getTime() - Date.parse(state.record.receivedAt);
        if (Number.isFinite(latency)) pipelineMetrics().endToEndLatency.record(latency, { status: recorded });
        deps.logger.info('Lead outcome recorded', { leadId: input.leadId, status: recorded, targets: attempts.length });
    }
    return { ...plan, attempts, recorded };
}

/** What the orchestration learns of one first attempt: the target's outcome when it ended, else when to try again. */
function firstAttemptOf(
    call: Call,
    policy: DeliveryPolicy,
    decidedAt: Date,
    now: Date,
    deadline: number,
): FirstAttempt {
    const { target, attempt, result } = call;
    if (result.outcome === 'not-sent') {
        return deferredAttempt(target, { attempts: attempt - 1 }, policy, decidedAt, now, result);
    }
    if (result.outcome === 'delivered') {
        return {
            target,
            attempt,
            result,
            outcome: {
                target,
                status: 'delivered',
                attempts: attempt,
                externalId: result.externalId,
                lastHttpStatus: result.httpStatus,
            },
        };
    }
    const failed: RunOutcome = {
        target,
        status: 'failed',
        attempts: attempt,
        lastError: result.error,
        lastHttpStatus: result.httpStatus,
    };
    if (result.outcome === 'permanent' || attempt >= policy.maxAttempts)
        return { target, attempt, result, outcome: failed };
    // Out of time already (the orchestration checks again with its own clock before it waits).
    if (nextAttemptAt(policy, attempt, now.getTime(), result.retryAfterMs, result.retryAt) > deadline)
        return { target, attempt, result, outcome: failed };
    return { target, attempt, result };
}

/**
 * The lead's owner, decided once (the claim makes a second run of this activity get the same answer), with the owner's
 * own notify targets added to the route and the SLA clock started at the orchestration's time.
 */
async function assign(
    deps: DecideAndDeliverDeps,
    input: DecideAndDeliverInput,
    record: LeadRecord,
    decision: NonNullable<LeadRecord['decision']>,
): Promise<{ decision: NonNullable<LeadRecord['decision']>; sla?: LeadSla }> {
    const config = deps.config.assignment;
    const queue = decision.queue;
    if (config === undefined || queue === undefined || deps.assignments === undefined) return { decision };
    const assignment = await assignLead(
        { assignments: deps.assignments, config, logger: deps.logger },
        {
            leadId: input.leadId,
            queue: queue.queue,
            ruleId: queue.ruleId,
            now: input.now,
            round: 0,
            ...(record.lead.personKey === undefined ? {} : { personKey: record.lead.personKey }),
        },
    );
    pipelineMetrics().assignments.add(1, {
        queue: assignment.queue,
        owner: assignment.personId ?? 'none',
        strategy: assignment.strategy,
    });
    const at = input.now.toISOString();
    const personId = assignment.personId;
    if (personId === undefined) {
        return { decision: { ...decision, assignment }, sla: noOwnerSla(assignment.queue, at) };
    }
    const owner = {
        personId,
        displayName: assignment.displayName ?? personId,
        ...(assignment.targetIds === undefined ? {} : { targetIds: assignment.targetIds }),
    };
    const extra: RoutedTarget[] = (config.people[personId]?.notify ?? [])
        .filter((t) => !decision.route.targets.some((r) => r.target === t))
        .map((t) => ({
            target: t,
            role: 'notify',
            matchedRules: [`assignment:${assignment.queue}`],
            ...(deps.enabledTargets.has(t)
                ? {}
                : { skippedReason: 'target not configured (enabled "auto" and a referenced setting is empty)' }),
        }));
    const minutes = slaMinutes(config, assignment.queue, decision.score.grade);
    const sla: LeadSla = {
        queue: assignment.queue,
        personId,
        displayName: owner.displayName,
        round: 0,
        escalations: 0,
        assignedAt: at,
        state: minutes === undefined ? 'no-sla' : 'waiting',
        ...(minutes === undefined
            ? {}
            : { minutes, dueAt: slaDueAt(config, personId, input.now, minutes).toISOString() }),
        breaches: [],
        owners: [{ personId, displayName: owner.displayName, at, explanation: assignment.explanation }],
    };
    return {
        decision: {
            ...decision,
            owner,
            assignment,
            route: { ...decision.route, targets: [...decision.route.targets, ...extra] },
        },
        sla,
    };
}

const noOwnerSla = (queue: string, at: string): LeadSla => ({
    queue,
    round: 0,
    escalations: 0,
    assignedAt: at,
    state: 'no-sla',
    breaches: [],
    owners: [],
});

/** The customer's click: the marketplace's own time of the lead when it has one, else when the intake got it. */
export function clickTimeOf(record: Pick<LeadRecord, 'lead' | 'receivedAt'>): number {
    const created = record.lead.createdTime === undefined ? NaN : Date.parse(record.lead.createdTime);
    return Number.isFinite(created) ? created : Date.parse(record.receivedAt);
}

/** Click → first CRM record and click → first notification, for the calls that delivered now. */
function recordSpeed(record: LeadRecord, calls: Call[], now: Date): void {
    const click = clickTimeOf(record);
    if (!Number.isFinite(click)) return;
    const delivered = calls.filter((c) => c.result.outcome === 'delivered');
    const queue = record.decision?.queue?.queue ?? 'none';
    if (delivered.some((c) => c.role === 'outreach'))
        pipelineMetrics().clickToCrm.record(now.getTime() - click, { queue });
    if (delivered.some((c) => c.role === 'notify'))
        pipelineMetrics().clickToNotification.record(now.getTime() - click, { queue });
}
