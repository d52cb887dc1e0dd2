import {
    type EscalationSend,
    escalationStep,
    type LeadHistoryEntry,
    type LeadRecord,
    type LeadSla,
    type PipelineConfig,
    slaDueAt,
} from '../domain/index';
import type { AssignmentStore } from '../ports/AssignmentStore';
import type { DeliveryTarget } from '../ports/DeliveryTarget';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
import { assignLead } from './assignLead';
import type { EscalationResult } from './pipelineTypes';

export interface EscalateLeadDeps {
    leads: LeadRepository;
    assignments: AssignmentStore;
    config: PipelineConfig;
    enabledTargets: ReadonlySet<string>;
    target(name: string): DeliveryTarget | undefined;
    logger: Logger;
    now(): Date;
}

export interface EscalateLeadInput {
    leadId: string;
    /** The owner round whose SLA was breached. */
    round: number;
    /** The orchestration's time (the breach's time: the same when the activity runs again). */
    now: Date;
}

const MAX_WRITE_TRIES = 10;

/**
 * An SLA breach: under the queue's policy, the lead goes to the next eligible person (the CRM records get the new
 * owner, the notify targets tell them) and/or the manager targets are told, with a new SLA for the new round; past
 * `maxEscalations` it is parked as unattended (the managers are told, an error is logged for the alert). A lead
 * acknowledged meanwhile (the link raced the timer) ends here. Runs again safely: the new round's assignment is a
 * claim, the SLA row is written only with its ETag, and each notification has its own idempotency key per round.
 */
export async function escalateLead(deps: EscalateLeadDeps, input: EscalateLeadInput): Promise<EscalationResult> {
    const config = deps.config.assignment;
    for (let tries = 1; tries <= MAX_WRITE_TRIES; tries++) {
        const record = await deps.leads.get(input.leadId);
        const sla = record?.sla;
        if (record === undefined || sla === undefined || config === undefined) return { state: 'no-sla' };
        // Already handled (this activity ran before and wrote the next round): answer what it decided.
        if (sla.round !== input.round || sla.state !== 'waiting') return resultOf(sla);
        const at = input.now.toISOString();
        const worked = await workedInCrm(deps, record);
        if (worked !== undefined) {
            const saved = await deps.leads.saveSla(
                record,
                { ...sla, state: 'acknowledged', acknowledgedAt: at, acknowledgedBy: 'crm' },
                [{ at, kind: 'acknowledged', detail: { round: sla.round, by: 'crm', target: worked } }],
                deps.now(),
            );
            if (saved === false) continue;
            pipelineMetrics().slaOutcomes.add(1, { queue: sla.queue, outcome: 'met-in-crm' });
            deps.logger.info('Lead acknowledged in the CRM', {
                leadId: input.leadId,
                target: worked,
                round: sla.round,
            });
            return { state: 'acknowledged' };
        }
        const step = escalationStep(config, sla.queue, sla.escalations);
        const history: LeadHistoryEntry[] = [
            { at, kind: 'sla-breached', detail: { round: sla.round, queue: sla.queue, owner: sla.personId ?? '' } },
        ];
        let next: LeadSla;
        let notify: string[];
        if (step.action === 'unattended') {
            next = { ...sla, state: 'unattended', unattendedAt: at, breaches: [...sla.breaches, at] };
            history.push({ at, kind: 'unattended', detail: { queue: sla.queue, breaches: next.breaches.length } });
            notify = step.notify;
        } else {
            const reassigned = step.reassign
                ? await assignLead(
                      { assignments: deps.assignments, config, logger: deps.logger },
                      {
                          leadId: input.leadId,
                          queue: sla.queue,
                          ruleId: `escalation-${step.escalation}`,
                          now: input.now,
                          round: sla.round + 1,
                          exclude: sla.owners.map((o) => o.personId),
                      },
                  )
                : undefined;
            const personId = reassigned?.personId ?? sla.personId;
            const displayName = reassigned?.displayName ?? sla.displayName;
            const minutes = sla.minutes ?? 0;
            next = {
                ...sla,
                ...(personId === undefined ? {} : { personId }),
                ...(displayName === undefined ? {} : { displayName }),
                round: sla.round + 1,
                escalations: step.escalation,
                ...(personId === undefined
                    ? {}
                    : { dueAt: slaDueAt(config, personId, input.now, minutes).toISOString() }),
                breaches: [...sla.breaches, at],
                owners:
                    reassigned?.personId === undefined
                        ? sla.owners
                        : [
                              ...sla.owners,
                              {
                                  personId: reassigned.personId,
                                  displayName: reassigned.displayName ?? reassigned.personId,
                                  at,
                                  explanation: reassigned.explanation,
                              },
                          ],
            };
            if (reassigned?.personId !== undefined)
                history.push({
                    at,
                    kind: 'reassigned',
                    detail: { from: sla.personId ?? '', to: reassigned.personId, round: next.round },
                });
            else if (step.reassign)
                history.push({
                    at,
                    kind: 'reassign-skipped',
                    detail: { reason: 'nobody else eligible', round: next.round },
                });
            notify = [
                ...step.notify,
                ...(reassigned?.personId === undefined
                    ? []
                    : notifyTargetsOf(record, config.people[reassigned.personId]?.notify)),
            ];
        }
        // A new owner is the lead's owner from now on: a later redelivery writes them, not the first.
        const person = next.personId === undefined ? undefined : config.people[next.personId];
        const changed =
            record.decision !== undefined &&
            next.personId !== undefined &&
            next.personId !== record.decision.owner?.personId;
        const decision = changed
            ? {
                  ...record.decision!,
                  owner: {
                      personId: next.personId!,
                      displayName: next.displayName ?? next.personId!,
                      ...(person?.targetIds === undefined ? {} : { targetIds: person.targetIds }),
                  },
              }
            : undefined;
        next = { ...next, sends: { ...sla.sends, ...planSends(deps, record, next, changed, notify) } };
        const saved = await deps.leads.saveSla(record, next, history, deps.now(), decision);
        if (saved === false) continue; // acknowledged meanwhile, or this activity's earlier run wrote it: read again
        pipelineMetrics().slaOutcomes.add(1, { queue: sla.queue, outcome: 'breached' });
        if (next.state === 'unattended') {
            pipelineMetrics().slaOutcomes.add(1, { queue: sla.queue, outcome: 'unattended' });
            await deps.assignments.markUnattended({
                leadId: input.leadId,
                queue: sla.queue,
                ...(sla.personId === undefined ? {} : { personId: sla.personId }),
                since: at,
                breaches: next.breaches.length,
            });
            // The alert rule on "Lead unattended" (docs/assignment.md) fires on this line; ids only.
            deps.logger.error('Lead unattended', {
                leadId: input.leadId,
                queue: sla.queue,
                breaches: next.breaches.length,
            });
        } else deps.logger.warn('Lead SLA breached', { leadId: input.leadId, queue: sla.queue, round: next.round });
        return resultOf(next);
    }
    throw new Error(`Lead ${input.leadId}: the SLA row kept changing`);
}

/**
 * Polled when the SLA is up, before escalating: the first CRM target whose record this lead created and which says
 * sales has worked it (its status moved on). A read that fails is logged and counts as not worked: the escalation goes on.
 */
async function workedInCrm(deps: EscalateLeadDeps, record: LeadRecord): Promise<string | undefined> {
    const decision = record.decision;
    if (decision === undefined) return undefined;
    // Only a record this lead created (the delivery says so, or answered 201): a returning person's record may have
    // been worked long before this lead, and its status says nothing about whether anyone picked this one up.
    const created = record.deliveries.filter(
        (d) => d.role === 'outreach' && d.status === 'delivered' && (d.created === true || d.lastHttpStatus === 201),
    );
    for (const row of created) {
        const target = deps.target(row.target);
        if (target?.leadStatus === undefined) continue;
        try {
            const status = await target.leadStatus(
                {
                    lead: record.lead,
                    decision,
                    target: row.target,
                    idempotencyKey: `${record.leadId}:${row.target}`,
                    attempt: 1,
                },
                row.externalId,
            );
            if (status?.worked === true) return row.target;
        } catch (err) {
            deps.logger.warn('CRM status not read', {
                leadId: record.leadId,
                target: row.target,
                error: err instanceof Error ? err.name : 'unknown',
            });
        }
    }
    return undefined;
}

/** The answer for the SLA as written, with the last breach's deliveries (so a run again answers the same). */
function resultOf(sla: LeadSla): EscalationResult {
    const breach = sla.breaches.length;
    const targets = Object.values(sla.sends ?? {})
        .filter((x) => x.round === breach)
        .map((x) => ({ target: x.target, kind: x.kind }));
    const send = targets.length === 0 ? {} : { send: { round: breach, targets } };
    if (sla.state === 'waiting' && sla.dueAt !== undefined)
        return { state: 'waiting', sla: { dueAt: sla.dueAt, round: sla.round }, ...send };
    return { state: sla.state === 'waiting' ? 'no-sla' : sla.state, ...send };
}

/** The lead's routed notify targets that were delivered, and the new owner's own. */
function notifyTargetsOf(record: LeadRecord, ownNotify: string[] | undefined): string[] {
    const routed = record.deliveries
        .filter((d) => d.role === 'notify' && d.status === 'delivered')
        .map((d) => d.target);
    return [...routed, ...(ownNotify ?? [])];
}

/**
 * The breach's deliveries, written with the SLA row (so a run again after a crash finds them): each CRM target that
 * has the lead is written again when the owner changed (its upsert by the same key updates the owner); each enabled
 * notify target gets a new message. The orchestration delivers them (`targetDelivery`: retries, the target's budget)
 * and each attempt is recorded on the entry.
 */
function planSends(
    deps: EscalateLeadDeps,
    record: LeadRecord,
    next: LeadSla,
    ownerChanged: boolean,
    notify: string[],
): Record<string, EscalationSend> {
    const round = next.breaches.length;
    const crms = ownerChanged
        ? record.deliveries.filter((d) => d.role === 'outreach' && d.status === 'delivered').map((d) => d.target)
        : [];
    const messages = [...new Set(notify)].filter((t) => deps.enabledTargets.has(t) && !crms.includes(t));
    const entries: EscalationSend[] = [
        ...crms.map((target) => ({ target, round, kind: 'owner' as const, status: 'pending' as const, attempts: 0 })),
        ...messages.map((target) => ({
            target,
            round,
            kind: 'message' as const,
            status: 'pending' as const,
            attempts: 0,
        })),
    ];
    return Object.fromEntries(entries.map((e) => [escalationSendKey(e.round, e.target), e]));
}

/** The key of one escalation delivery in `LeadSla.sends`. */
export function escalationSendKey(round: number, target: string): string {
    return `${round}:${target}`;
}
