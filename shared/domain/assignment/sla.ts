/**
 * The speed-to-lead SLA: how long the owner has to acknowledge a lead of a grade, counted in their working hours,
 * and what a breach leads to under the queue's escalation policy. Pure: times are parameters.
 */
import type { AssignmentConfig } from './assignmentConfig';
import { addWorkingMinutes } from './workingHours';

/** Working minutes the queue gives a lead of `grade`; undefined: no SLA for it. */
export function slaMinutes(config: AssignmentConfig, queue: string, grade: string): number | undefined {
    return config.queues[queue]?.slaMinutes?.[grade];
}

/**
 * When the owner's acknowledgement is due: `minutes` of their working time after `from` (outside their hours the
 * clock stands still); wall-clock minutes for a person without working hours.
 */
export function slaDueAt(config: AssignmentConfig, personId: string, from: Date, minutes: number): Date {
    const hours = config.people[personId]?.workingHours;
    const due = hours === undefined ? undefined : addWorkingMinutes(hours, from.getTime(), minutes);
    return new Date(due ?? from.getTime() + minutes * 60_000);
}

export type EscalationStep =
    | { action: 'escalate'; reassign: boolean; notify: string[]; escalation: number }
    | { action: 'unattended'; notify: string[] };

/**
 * What a breach does: `escalations` is how many breaches were handled before this one. Up to `maxEscalations` the
 * lead is reassigned and/or the manager targets told; after that it is parked as unattended (the managers are told
 * once more). A queue without a policy parks at the first breach.
 */
export function escalationStep(config: AssignmentConfig, queue: string, escalations: number): EscalationStep {
    const policy = config.queues[queue]?.escalation;
    const notify = policy?.notify ?? [];
    if (policy === undefined || escalations >= policy.maxEscalations) return { action: 'unattended', notify };
    return { action: 'escalate', reassign: policy.reassign, notify, escalation: escalations + 1 };
}
