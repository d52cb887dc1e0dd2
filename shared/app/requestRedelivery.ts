import { durableNames } from '../names';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import type { OrchestrationStarter } from '../ports/OrchestrationStarter';
import type { RedeliveryInput } from './pipelineTypes';

export interface RedeliveryDeps {
    leads: LeadRepository;
    starter: OrchestrationStarter;
    logger: Logger;
    now(): Date;
    traceCarrier(): Record<string, string>;
}

export type RedeliveryResult =
    | { kind: 'not-found' }
    | { kind: 'not-deliverable'; message: string }
    | { kind: 'started'; instanceId: string; targets: string[] };

/**
 * Re-runs delivery only (no new decision): for one named target (even if it was delivered: the idempotency key
 * stays the same, so the target can recognise it), or for every target that is not delivered.
 */
export async function requestRedelivery(
    deps: RedeliveryDeps,
    leadId: string,
    target: string | undefined,
): Promise<RedeliveryResult> {
    const record = await deps.leads.get(leadId);
    if (record === undefined) return { kind: 'not-found' };
    if (record.decision === undefined) return { kind: 'not-deliverable', message: 'The lead is not decided yet.' };
    if (record.status === 'destination-validated') {
        return { kind: 'not-deliverable', message: 'Test leads are never delivered.' };
    }
    const routed = record.deliveries.filter((d) => d.status !== 'skipped');
    let targets: string[];
    if (target !== undefined) {
        if (!routed.some((d) => d.target === target)) {
            return { kind: 'not-deliverable', message: `Target ${target} is not routed for this lead.` };
        }
        targets = [target];
    } else {
        targets = routed.filter((d) => d.status !== 'delivered').map((d) => d.target);
        if (targets.length === 0) return { kind: 'not-deliverable', message: 'Every routed target is delivered.' };
    }
    const instanceId = `redeliver-${leadId}-${deps.now().getTime()}`;
    const input: RedeliveryInput = {
        leadId,
        receivedAt: record.receivedAt,
        targets,
        force: target !== undefined,
        trace: deps.traceCarrier(),
    };
    await deps.starter.start(durableNames.redeliveryPipeline, instanceId, input);
    await deps.leads.setStatus(record, 'delivering', {
        at: deps.now().toISOString(),
        kind: 'redelivery-requested',
        detail: { instanceId, targets: targets.join(',') },
    });
    deps.logger.info('Redelivery started', { leadId, instanceId, targets: targets.length });
    return { kind: 'started', instanceId, targets };
}
