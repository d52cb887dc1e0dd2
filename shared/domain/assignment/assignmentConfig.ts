/**
 * The `assignment` section of `config/pipeline.json`: people who follow leads up, queues of them with a strategy,
 * the rules that pick a queue, the SLA per grade and what happens when nobody acknowledges. Off until `enabled`.
 */
import { z } from 'zod';

import { type Condition, validateCondition } from '../conditions';
/** A config problem (the shape of `ConfigProblem`; the lint keeps `../config*` imports out of the domain's folders). */
interface ConfigProblem {
    path: string;
    message: string;
}
import { hasWorkingTime, isKnownTimeZone, parseInterval, weekdays, type WorkingHours } from './workingHours';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'ids are 1-64 of letters, digits, _ . -');

const routingCondition: z.ZodType<Condition> = z.unknown().superRefine((value, ctx) => {
    if (typeof value !== 'boolean' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
        ctx.addIssue({ code: 'custom', message: 'a condition is a JsonLogic object or true/false' });
        return;
    }
    for (const p of validateCondition(value, 'routing', '')) {
        ctx.addIssue({ code: 'custom', message: p.message, path: p.path === '' ? [] : [p.path.replace(/^\./, '')] });
    }
}) as unknown as z.ZodType<Condition>;

const workingHours = z
    .strictObject({
        timeZone: z.string().refine(isKnownTimeZone, 'an IANA time zone such as Europe/Prague'),
        days: z.partialRecord(
            z.enum(weekdays),
            z.array(z.string().refine((s) => parseInterval(s) !== undefined, 'an interval such as 09:00-17:30')),
        ),
    })
    .refine((h) => hasWorkingTime(h), 'at least one working interval in the week') satisfies z.ZodType<WorkingHours>;

const person = z.strictObject({
    displayName: z.string().min(1).max(200),
    /** Target name → the person's id there (Dataverse systemuser GUID, Salesforce User id, HubSpot owner id). */
    targetIds: z.record(z.string(), z.string().min(1).max(100)).optional(),
    /** Notify targets that reach this person (their own Teams chat or webhook), besides the lead's routed ones. */
    notify: z.array(z.string().min(1)).optional(),
    weight: z.number().int().min(1).max(100).default(1),
    dailyCap: z.number().int().min(1).max(10_000).optional(),
    /** Without working hours the person is always available and the SLA counts wall-clock minutes. */
    workingHours: workingHours.optional(),
});

const strategy = z.enum(['round-robin', 'weighted', 'least-loaded', 'sticky']);

const queue = z.strictObject({
    description: z.string().min(1).max(200).optional(),
    members: z.array(id).min(1),
    strategy,
    sticky: z
        .strictObject({
            windowDays: z.number().positive().max(3650),
            then: z.enum(['round-robin', 'weighted', 'least-loaded']),
        })
        .optional(),
    /** With nobody eligible: a person who takes it anyway (outside hours, over cap), or another queue. */
    fallback: z.union([z.strictObject({ person: id }), z.strictObject({ queue: id })]).optional(),
    /** Grade → working minutes of the owner to acknowledge; a grade not listed has no SLA. */
    slaMinutes: z.record(z.string().min(1).max(16), z.number().positive().max(525_600)).optional(),
    escalation: z
        .strictObject({
            /** Give the lead to the next eligible person (the CRM owner changes too). */
            reassign: z.boolean(),
            /** Notify targets (a manager channel) told of every breach. */
            notify: z.array(z.string().min(1)).optional(),
            /** Breaches handled before the lead is parked as unattended. */
            maxEscalations: z.number().int().min(0).max(20),
        })
        .optional(),
});

const rule = z.strictObject({
    id,
    description: z.string().min(1),
    when: routingCondition,
    queue: id,
});

export const assignmentConfigSchema = z.strictObject({
    enabled: z.boolean(),
    description: z.string().optional(),
    /** Which qualification outcomes get an owner (a disqualified lead that only tells a channel needs none). */
    outcomes: z
        .array(z.enum(['qualified', 'do-not-contact', 'incomplete', 'disqualified']))
        .min(1)
        .default(['qualified']),
    /** How long an acknowledgement link is valid, in hours. */
    ackLinkHours: z
        .number()
        .positive()
        .max(24 * 30)
        .default(72),
    people: z.record(id, person),
    queues: z.record(id, queue),
    rules: z.array(rule),
    /** The queue for a lead no rule matched; without it such a lead gets no owner. */
    defaultQueue: id.optional(),
});

export type AssignmentConfig = z.infer<typeof assignmentConfigSchema>;
export type AssignmentPerson = AssignmentConfig['people'][string];
export type AssignmentQueue = AssignmentConfig['queues'][string];
export type AssignmentStrategy = z.infer<typeof strategy>;

/** References inside the section, and to targets: every name must exist, fallbacks must not go round in a circle. */
export function assignmentCrossChecks(
    config: AssignmentConfig,
    targets: Record<string, { role: string }>,
    problems: ConfigProblem[],
): void {
    const at = (path: string, message: string) => problems.push({ path: `assignment.${path}`, message });
    const notifyTarget = (name: string, path: string) => {
        const t = targets[name];
        if (t === undefined) at(path, `target "${name}" is not defined in targets`);
        else if (t.role !== 'notify') at(path, `target "${name}" is not a notify target`);
    };
    for (const [pid, p] of Object.entries(config.people)) {
        for (const t of Object.keys(p.targetIds ?? {}))
            if (targets[t] === undefined) at(`people.${pid}.targetIds.${t}`, `target "${t}" is not defined in targets`);
        (p.notify ?? []).forEach((t, i) => notifyTarget(t, `people.${pid}.notify[${i}]`));
    }
    for (const [qid, q] of Object.entries(config.queues)) {
        q.members.forEach((m, i) => {
            if (config.people[m] === undefined)
                at(`queues.${qid}.members[${i}]`, `person "${m}" is not defined in people`);
        });
        if (q.strategy === 'sticky' && q.sticky === undefined)
            at(`queues.${qid}.sticky`, 'a sticky queue says its window and the strategy for a new person');
        const f = q.fallback;
        if (f !== undefined && 'person' in f && config.people[f.person] === undefined)
            at(`queues.${qid}.fallback.person`, `person "${f.person}" is not defined in people`);
        if (f !== undefined && 'queue' in f && config.queues[f.queue] === undefined)
            at(`queues.${qid}.fallback.queue`, `queue "${f.queue}" is not defined in queues`);
        (q.escalation?.notify ?? []).forEach((t, i) => notifyTarget(t, `queues.${qid}.escalation.notify[${i}]`));
        // Following fallbacks must end: a circle would hand the lead round for ever.
        const seen = new Set([qid]);
        for (let next = q.fallback; next !== undefined && 'queue' in next;) {
            if (seen.has(next.queue)) {
                at(
                    `queues.${qid}.fallback`,
                    `fallback queues go round in a circle (${[...seen, next.queue].join(' → ')})`,
                );
                break;
            }
            seen.add(next.queue);
            next = config.queues[next.queue]?.fallback;
        }
    }
    const ruleIds = new Set<string>();
    config.rules.forEach((r, i) => {
        if (ruleIds.has(r.id)) at(`rules[${i}].id`, `duplicate rule id "${r.id}"`);
        ruleIds.add(r.id);
        if (config.queues[r.queue] === undefined)
            at(`rules[${i}].queue`, `queue "${r.queue}" is not defined in queues`);
    });
    if (config.defaultQueue !== undefined && config.queues[config.defaultQueue] === undefined)
        at('defaultQueue', `queue "${config.defaultQueue}" is not defined in queues`);
}
