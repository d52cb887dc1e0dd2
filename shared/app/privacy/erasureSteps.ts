/**
 * The steps of an erasure as the orchestrations run them, used with `yield*`. Deterministic: every child's instance
 * id is derived from the parent's, time comes from the orchestration clock, I/O happens only in activities.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import * as df from 'durable-functions';

import {
    type CrmRecordRef,
    mergeTargetOutcome,
    recordIdsToErase,
    type TargetErasure,
    type TargetErasureOutcome,
} from '../../domain/index';
import { durableNames } from '../../names';
import type { FoundLeads } from '../../ports/LeadEraser';
import type { DeliveryPolicy } from '../pipelineTypes';
import type { FindLeadsInput, LeadErasureResult, LeadStepInput, TargetErasureInput } from './erasureTypes';

/** Leads erased at once: each is a small sub-orchestration, and a person rarely has more than a few. */
const LEADS_AT_ONCE = 10;

/**
 * Every step is idempotent, so a step that failed (storage busy, a worker lost) is run again: 5 s, 10 s, 20 s, …
 * up to a minute, six attempts. A step failing past that fails the erasure, which then says so.
 */
const stepRetry = (() => {
    const options = new df.RetryOptions(5_000, 6);
    options.backoffCoefficient = 2;
    options.maxRetryIntervalInMilliseconds = 60_000;
    return options;
})();

/** An erasure step (activity) with its retries. */
export function callStep(context: OrchestrationContext, name: string, input: unknown): Task {
    return context.df.callActivityWithRetry(name, stepRetry, input);
}

/** Every page of the person's leads, each lead once. */
export function* findAllLeads(
    context: OrchestrationContext,
    erasureId: string,
): Generator<Task, { live: string[]; erased: string[] }, unknown> {
    const live = new Set<string>();
    const erased = new Set<string>();
    let continuationToken: string | undefined;
    let first = true;
    do {
        const page = (yield callStep(context, durableNames.findErasureLeads, {
            erasureId,
            continuationToken,
            first,
        } satisfies FindLeadsInput)) as FoundLeads;
        page.live.forEach((id) => live.add(id));
        page.erased.forEach((id) => erased.add(id));
        continuationToken = page.continuationToken;
        first = false;
    } while (continuationToken !== undefined);
    return { live: [...live].sort(), erased: [...erased].filter((id) => !live.has(id)).sort() };
}

/** Each lead through `leadErasure` (runs stopped, then data erased), a batch at a time. */
export function* eraseLeads(
    context: OrchestrationContext,
    erasureId: string,
    leadIds: readonly string[],
): Generator<Task, LeadErasureResult[], unknown> {
    return yield* inBatches(context, leadIds, (leadId) =>
        context.df.callSubOrchestrator(
            durableNames.leadErasure,
            { erasureId, leadId } satisfies LeadStepInput,
            `${context.df.instanceId}:lead:${leadId}`,
        ),
    );
}

/** Each lead's data erased again (a sweep: the runs have ended by now), a batch at a time. */
export function* sweepLeads(
    context: OrchestrationContext,
    erasureId: string,
    leadIds: readonly string[],
): Generator<Task, LeadErasureResult[], unknown> {
    return yield* inBatches(context, leadIds, (leadId) =>
        callStep(context, durableNames.eraseLeadData, { erasureId, leadId } satisfies LeadStepInput),
    );
}

/** One task per lead, `LEADS_AT_ONCE` in flight at a time, the results in the leads' order. */
function* inBatches(
    context: OrchestrationContext,
    leadIds: readonly string[],
    task: (leadId: string) => Task,
): Generator<Task, LeadErasureResult[], unknown> {
    const results: LeadErasureResult[] = [];
    for (let i = 0; i < leadIds.length; i += LEADS_AT_ONCE) {
        const done = (yield context.df.Task.all(leadIds.slice(i, i + LEADS_AT_ONCE).map(task))) as LeadErasureResult[];
        results.push(...done);
    }
    return results;
}

/** Every target of the plan that erases deletes its records (in parallel, each with its own retries). */
export function* eraseInTargets(
    context: OrchestrationContext,
    erasureId: string,
    plans: readonly TargetErasure[],
    records: readonly CrmRecordRef[],
    policy: DeliveryPolicy,
    round: number,
): Generator<Task, TargetErasure[], unknown> {
    const work = plans
        .map((plan) => ({ plan, recordIds: recordIdsToErase(plan, records) }))
        .filter((w) => w.recordIds.length > 0);
    if (work.length === 0) return [...plans];
    const outcomes = (yield context.df.Task.all(
        work.map((w) =>
            context.df.callSubOrchestrator(
                durableNames.targetErasure,
                { erasureId, target: w.plan.target, recordIds: w.recordIds, policy } satisfies TargetErasureInput,
                `${context.df.instanceId}:target:${w.plan.target}:${round}`,
            ),
        ),
    )) as TargetErasureOutcome[];
    return outcomes.reduce<TargetErasure[]>((merged, outcome) => mergeTargetOutcome(merged, outcome), [...plans]);
}

/** The records still to delete: those that failed, and those of a target meant to erase whose settings were missing. */
export function pendingRecords(plans: readonly TargetErasure[], records: readonly CrmRecordRef[]): CrmRecordRef[] {
    return records.filter((r) => {
        const plan = plans.find((p) => p.target === r.target);
        if (plan === undefined) return false;
        if (plan.mode === 'not-configured') return true;
        return plan.mode === 'erase' && plan.failed.some((f) => f.recordId === r.recordId);
    });
}
