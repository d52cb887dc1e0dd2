import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import * as df from 'durable-functions';

import {
    callStep,
    eraseInTargets,
    eraseLeads,
    findAllLeads,
    pendingRecords,
    sweepLeads,
} from '../shared/app/privacy/erasureSteps';
import type {
    ErasureInput,
    MarketplaceRowsResult,
    PayloadsResult,
    RecordErasureInput,
} from '../shared/app/privacy/erasureTypes';
import {
    addCounts,
    type CrmRecordRef,
    emptyCounts,
    type ErasureReport,
    erasureStatusOf,
    mergePlans,
    planTargetErasures,
} from '../shared/domain/index';
import { durableNames } from '../shared/names';

const recordKey = (r: CrmRecordRef) => `${r.target}\u001f${r.recordId}`;

/**
 * A person's erasure: find their leads, stop each lead's runs and replace its data by a tombstone, erase the invalid
 * payloads and parked events that hold them (and, if asked, their rows of the marketplace's table), delete their
 * records in the targets listed for erasure, purge the runs' histories, then wait until any call still in flight
 * has returned and sweep every lead once more. Every step is idempotent: an erasure interrupted anywhere resumes
 * from its history. A retry (`retryOf`) runs only the target part, for the records still pending.
 */
export const erasurePipelineOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
    const input = context.df.getInput<ErasureInput>();
    const now = () => context.df.currentUtcDateTime.toISOString();
    let last: ErasureReport | undefined = input.retryOf?.report;
    function* save(report: ErasureReport, pending: CrmRecordRef[], final: boolean) {
        last = report;
        context.df.setCustomStatus({ stage: report.stage });
        yield callStep(context, durableNames.recordErasure, {
            entry: { report, pending },
            final,
        } satisfies RecordErasureInput);
    }
    try {
        return yield* erase();
    } catch (err) {
        // The audit says the erasure stopped (and where); asking again is safe, every step being idempotent.
        if (last !== undefined) yield* save({ ...last, status: 'failed', completedAt: now() }, [], true);
        throw err;
    }

    function* erase(): Generator<Task, ErasureReport, unknown> {
        if (input.retryOf !== undefined) {
            let report: ErasureReport = { ...input.retryOf.report, status: 'running', stage: 'targets' };
            yield* save(report, input.retryOf.pending, false);
            const plans = planTargetErasures(input.retryOf.pending, input.targets);
            const retried = yield* eraseInTargets(
                context,
                input.erasureId,
                plans,
                input.retryOf.pending,
                input.retry,
                1,
            );
            const targets = mergePlans(
                report.targets.map((t) => ({ ...t, failed: [] })),
                retried,
            );
            report = { ...report, targets, stage: 'done', completedAt: now() };
            report.status = erasureStatusOf(report);
            yield* save(report, pendingRecords(retried, input.retryOf.pending), true);
            return report;
        }

        let report: ErasureReport = {
            erasureId: input.erasureId,
            status: 'running',
            stage: 'finding',
            requestedAt: input.requestedAt,
            scope: input.scope,
            leadIds: [],
            counts: emptyCounts(),
            targets: [],
            marketplaceTable: { status: input.scope.marketplaceTable ? 'erased' : 'not-requested', rows: 0 },
        };
        const found = yield* findAllLeads(context, input.erasureId);
        report = { ...report, stage: 'erasing', counts: { ...report.counts, alreadyErased: found.erased.length } };
        yield* save(report, [], false);

        const first = yield* eraseLeads(context, input.erasureId, found.live);
        const erased = first.filter((r) => r.found && !r.wasTombstone).map((r) => r.leadId);
        let counts = addCounts(report.counts, {
            leads: erased.length,
            alreadyErased: first.filter((r) => r.found && r.wasTombstone).length,
        });
        for (const r of first) counts = addCounts(counts, r.counts);
        const records = first.flatMap((r) => r.records);
        const runIds = first.flatMap((r) => r.runIds);

        let token: string | undefined;
        do {
            const page = (yield callStep(context, durableNames.erasePersonPayloads, {
                erasureId: input.erasureId,
                leadIds: found.live,
                continuationToken: token,
            })) as PayloadsResult;
            counts = addCounts(counts, { invalidPayloads: page.invalidPayloads, parkedEvents: page.parkedEvents });
            token = page.continuationToken;
        } while (token !== undefined);

        let marketplaceTable = report.marketplaceTable;
        if (input.scope.marketplaceTable) {
            do {
                const page = (yield callStep(context, durableNames.eraseMarketplaceRows, {
                    erasureId: input.erasureId,
                    continuationToken: token,
                })) as MarketplaceRowsResult;
                marketplaceTable = { ...marketplaceTable, rows: marketplaceTable.rows + page.rows, ...page.problem };
                token = page.problem === undefined ? page.continuationToken : undefined;
            } while (token !== undefined);
            counts = addCounts(counts, { marketplaceRows: marketplaceTable.rows });
        }

        report = { ...report, stage: 'targets', leadIds: erased, counts, marketplaceTable };
        let plans = planTargetErasures(records, input.targets);
        yield* save({ ...report, targets: plans }, pendingRecords(plans, records), false);
        plans = yield* eraseInTargets(context, input.erasureId, plans, records, input.retry, 1);

        let purged = (yield callStep(context, durableNames.purgeLeadRuns, { runIds })) as number;
        report = { ...report, stage: 'sweeping', targets: plans };
        yield* save(report, pendingRecords(plans, records), false);
        // An activity that was calling a target when its run was terminated writes its row when the call returns.
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + input.graceSeconds * 1000));
        const swept = yield* sweepLeads(context, input.erasureId, found.live);
        for (const r of swept) counts = addCounts(counts, { ...r.counts, indexRows: 0 });
        const known = new Set(records.map(recordKey));
        const late = swept.flatMap((r) => r.records).filter((r) => !known.has(recordKey(r)));
        if (late.length > 0) {
            const second = yield* eraseInTargets(
                context,
                input.erasureId,
                planTargetErasures(late, { ...input.targets, eraseInTargets: input.targets.eraseInTargets }),
                late,
                input.retry,
                2,
            );
            plans = mergePlans(plans, second);
        }
        purged += (yield callStep(context, durableNames.purgeLeadRuns, {
            runIds: [...runIds, ...swept.flatMap((r) => r.runIds)],
        })) as number;

        const all = [...records, ...late];
        report = {
            ...report,
            stage: 'done',
            completedAt: now(),
            targets: plans,
            counts: { ...counts, durableInstances: purged },
        };
        report.status = erasureStatusOf(report);
        yield* save(report, pendingRecords(plans, all), true);
        return report;
    }
};

df.app.orchestration(durableNames.erasurePipeline, erasurePipelineOrchestrator);
