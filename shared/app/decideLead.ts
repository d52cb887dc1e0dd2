import { decide, decidedRows, type PipelineConfig, skippedRows, statusAfterDecision } from '../domain/index';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
import type { DecisionPlan } from './pipelineTypes';

export interface DecideLeadDeps {
    leads: LeadRepository;
    config: PipelineConfig;
    /** Targets whose adapter is enabled (`enabled: "auto"` resolved against the settings). */
    enabledTargets: ReadonlySet<string>;
    logger: Logger;
}

/**
 * Qualify → score → route with the loaded configuration, stored with the config version that decided. Idempotent:
 * a lead already decided keeps its stored decision (an activity may run twice), so the plan never changes under a
 * running orchestration. The rows to deliver are written claimed by `runId`, the run that will deliver them.
 */
export async function decideLead(
    deps: DecideLeadDeps,
    leadId: string,
    now: Date,
    runId: string,
): Promise<DecisionPlan> {
    const record = await deps.leads.get(leadId);
    if (record === undefined) {
        // A lead event replayed after its person was erased: the run ends with nothing to deliver (and stores nothing).
        if ((await deps.leads.findExisting([leadId]))?.status === 'erased') return erasedPlan(deps.config);
        throw new Error(`Lead ${leadId} is not stored`);
    }
    const decision =
        record.decision ?? decide(record.lead, deps.config, now, { availableTargets: deps.enabledTargets });
    const deliveries = decidedRows(decision.route.targets, deps.enabledTargets, runId, now.toISOString());
    const targets = deliveries.filter((d) => d.status === 'pending').map((d) => d.target);
    const finalStatus = statusAfterDecision(decision.qualification.outcome, deliveries);
    const delivering = finalStatus === undefined;
    if (record.decision === undefined) {
        await deps.leads.saveDecision(
            record,
            decision,
            finalStatus ?? 'delivering',
            delivering ? deliveries : skippedRows(deliveries, `${decision.qualification.outcome} lead`),
            now,
        );
        pipelineMetrics().leadOutcomes.add(1, { outcome: decision.qualification.outcome });
        pipelineMetrics().leadScore.record(decision.score.points, { grade: decision.score.grade });
    }
    deps.logger.info('Lead decided', {
        leadId,
        outcome: decision.qualification.outcome,
        grade: decision.score.grade,
        targets: targets.length,
        configVersion: decision.configVersion,
    });
    return {
        configVersion: decision.configVersion,
        outcome: decision.qualification.outcome,
        grade: decision.score.grade,
        finalStatus,
        targets: delivering ? targets : [],
        policy: deps.config.delivery,
    };
}

function erasedPlan(config: PipelineConfig): DecisionPlan {
    return {
        configVersion: config.version,
        outcome: 'erased',
        grade: '',
        finalStatus: 'erased',
        targets: [],
        policy: config.delivery,
    };
}
