/**
 * `config/pipeline.json`: schema (zod 4) and loader. `parsePipelineConfig` reports every problem with its path at
 * once, including cross-references (routes naming undefined targets, duplicate rule ids) and JsonLogic conditions
 * that use unknown facts or disallowed operators.
 */
import { z } from 'zod';

import { assignmentConfigSchema, assignmentCrossChecks } from './assignment/assignmentConfig';
import { type Condition, validateCondition } from './conditions';
import { type ConfigProblem, crossChecks } from './configCrossChecks';
import { ConfigError } from './errors';
import type { FactStage } from './facts';
import { privacySectionSchema } from './privacy/privacyPolicy';
import type { TargetConfig } from './TargetConfig';

const ruleId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, 'rule ids are 1-80 of letters, digits, _ . -');

const condition = (stage: FactStage): z.ZodType<Condition> =>
    z.unknown().superRefine((value, ctx) => {
        if (typeof value !== 'boolean' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
            ctx.addIssue({ code: 'custom', message: 'a condition is a JsonLogic object or true/false' });
            return;
        }
        for (const p of validateCondition(value, stage, '')) {
            ctx.addIssue({
                code: 'custom',
                message: p.message,
                path: p.path === '' ? [] : [p.path.replace(/^\./, '')],
            });
        }
    }) as unknown as z.ZodType<Condition>;

const role = z.enum(['outreach', 'notify']);
const outcome = z.enum(['qualified', 'test', 'blank', 'do-not-contact', 'incomplete', 'disqualified']);

const qualificationRule = z.strictObject({
    id: ruleId,
    description: z.string().min(1),
    outcome: z.enum(['do-not-contact', 'incomplete', 'disqualified']),
    when: condition('qualification'),
});

const scoringRule = z.strictObject({
    id: ruleId,
    description: z.string().min(1),
    points: z.number().int().min(-1000).max(1000),
    when: condition('scoring'),
});

const routingRule = z.strictObject({
    id: ruleId,
    description: z.string().min(1),
    when: condition('routing'),
    targets: z.array(z.string().min(1)).min(1),
});

const targetConfig = z.strictObject({
    type: z.enum(['webhook', 'dynamics365', 'salesforce', 'hubspot', 'marketo', 'teams']),
    role,
    enabled: z.union([z.boolean(), z.literal('auto')]),
    description: z.string().optional(),
    options: z.record(z.string(), z.unknown()),
    mapping: z.record(z.string(), z.string()).optional(),
    rateLimit: z
        .strictObject({
            requests: z.number().int().positive().optional(),
            perSeconds: z.number().positive().optional(),
            maxConcurrent: z.number().int().positive().optional(),
        })
        .optional(),
}) satisfies z.ZodType<TargetConfig>;

const pipelineConfigSchema = z.strictObject({
    $schema: z.string().optional(),
    version: z.string().min(1).max(64),
    description: z.string().optional(),
    qualification: z.strictObject({
        /** Which target roles receive a lead of each outcome; `test` and `blank` never receive anything. */
        deliverTo: z.strictObject({
            qualified: z.array(role),
            'do-not-contact': z.array(z.literal('notify')),
            incomplete: z.array(role),
            disqualified: z.array(role),
        }),
        rules: z.array(qualificationRule),
    }),
    scoring: z.strictObject({
        rules: z.array(scoringRule),
        grades: z.array(z.strictObject({ grade: z.string().min(1).max(16), minPoints: z.number() })).min(1),
        defaultGrade: z.string().min(1).max(16),
    }),
    routing: z.strictObject({
        mode: z.enum(['first-match', 'all-matching']),
        rules: z.array(routingRule),
        default: z.strictObject({ targets: z.array(z.string().min(1)) }),
    }),
    delivery: z.strictObject({
        maxAttempts: z.number().int().min(1).max(100),
        firstRetryIntervalSeconds: z.number().positive(),
        backoffCoefficient: z.number().min(1),
        maxRetryIntervalSeconds: z.number().positive(),
        deadlineMinutes: z.number().positive(),
        timeoutSeconds: z.number().positive(),
    }),
    targets: z.record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'target names are letters, digits, _ and -'),
        targetConfig,
    ),
    /** Owners, queues, SLA and escalation (docs/assignment.md); absent or `enabled: false`: no owner is assigned. */
    assignment: assignmentConfigSchema.optional(),
    /** Retention periods and CRM erasure (docs/data-map.md); every part optional. */
    privacy: privacySectionSchema.optional(),
});

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
export type QualificationRule = z.infer<typeof qualificationRule>;
export type ScoringRule = z.infer<typeof scoringRule>;
export type RoutingRule = z.infer<typeof routingRule>;
export { outcome as qualificationOutcomeSchema };

function pathOf(path: readonly PropertyKey[]): string {
    let out = '';
    for (const p of path) {
        if (typeof p === 'number') out += `[${p}]`;
        else out += out === '' ? String(p) : `.${String(p)}`;
    }
    return out;
}

export function parsePipelineConfig(json: unknown): PipelineConfig {
    const result = pipelineConfigSchema.safeParse(json);
    const problems: ConfigProblem[] = result.success
        ? []
        : result.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
    crossChecks(json, problems);
    // The references are checked whenever the section itself is well formed, even when other sections are not.
    const raw = json as { assignment?: unknown; targets?: unknown } | null;
    const assignment = raw?.assignment === undefined ? undefined : assignmentConfigSchema.safeParse(raw.assignment);
    if (assignment?.success === true) {
        const targets = typeof raw?.targets === 'object' && raw.targets !== null ? raw.targets : {};
        assignmentCrossChecks(assignment.data, targets as Record<string, { role: string }>, problems);
    }
    if (problems.length > 0 || !result.success) throw new ConfigError(problems);
    return result.data;
}
