import {
    ConfigError,
    decide,
    type LeadDecision,
    type LeadRecord,
    parsePipelineConfig,
    type PipelineConfig,
} from '../domain/index';
import type { LeadRepository } from '../ports/LeadRepository';

export interface WhatIfDeps {
    leads: LeadRepository;
    /** The configuration the app runs with. */
    active: PipelineConfig;
    /** Which of a configuration's targets would be on with this app's settings (as `targetStates` decides). */
    availableTargets(config: PipelineConfig): ReadonlySet<string>;
}

/** Leads a what-if may evaluate at most, and how many it reads at once. */
export const MAX_WHAT_IF_LEADS = 200;
const READ_AT_ONCE = 10;

/** What a decision amounts to for a salesperson: the grade, points, outcome and the targets it reaches. */
export interface DecisionGist {
    grade: string;
    points: number;
    outcome: string;
    /** Routed targets that would receive the lead (skipped ones left out), sorted. */
    targets: string[];
}

export interface WhatIfLead {
    leadId: string;
    receivedAt: string;
    name?: string;
    company?: string;
    current: DecisionGist;
    proposed: DecisionGist;
    /** Which parts differ: `grade`, `points`, `outcome`, `targets`. */
    changes: (keyof DecisionGist)[];
}

export type WhatIfResult =
    | { kind: 'invalid-config'; problems: readonly { path: string; message: string }[] }
    | {
          kind: 'evaluated';
          activeVersion: string;
          proposedVersion: string;
          evaluated: number;
          changed: number;
          byChange: Record<keyof DecisionGist, number>;
          leads: WhatIfLead[];
      };

export function gistOf(decision: LeadDecision): DecisionGist {
    return {
        grade: decision.score.grade,
        points: decision.score.points,
        outcome: decision.qualification.outcome,
        targets: decision.route.targets
            .filter((t) => t.skippedReason === undefined)
            .map((t) => t.target)
            .sort(),
    };
}

export function changesBetween(a: DecisionGist, b: DecisionGist): (keyof DecisionGist)[] {
    const changes: (keyof DecisionGist)[] = [];
    if (a.grade !== b.grade) changes.push('grade');
    if (a.points !== b.points) changes.push('points');
    if (a.outcome !== b.outcome) changes.push('outcome');
    if (a.targets.join(',') !== b.targets.join(',')) changes.push('targets');
    return changes;
}

/**
 * Evaluates a proposed configuration against the last `count` stored leads with the pipeline's own pure decision
 * code, beside the active configuration, each at the time the lead was decided (so time-dependent rules judge as
 * they did). Nothing is stored or delivered. A proposed configuration that does not validate answers with every
 * problem, as the app's start-up check would.
 */
export async function whatIfRules(deps: WhatIfDeps, proposedInput: unknown, count: number): Promise<WhatIfResult> {
    let proposed: PipelineConfig;
    try {
        proposed = parsePipelineConfig(proposedInput);
    } catch (err) {
        if (err instanceof ConfigError) return { kind: 'invalid-config', problems: err.problems };
        throw err;
    }
    const wanted = Math.min(Math.max(1, Math.floor(count)), MAX_WHAT_IF_LEADS);
    const ids: { leadId: string; name?: string; company?: string }[] = [];
    let token: string | undefined;
    do {
        const page = await deps.leads.list({ limit: wanted - ids.length, continuationToken: token });
        ids.push(...page.items.map((i) => ({ leadId: i.leadId, name: i.name, company: i.company })));
        token = page.continuationToken;
    } while (token !== undefined && ids.length < wanted);
    const activeTargets = deps.availableTargets(deps.active);
    const proposedTargets = deps.availableTargets(proposed);
    const leads: WhatIfLead[] = [];
    for (let i = 0; i < ids.length; i += READ_AT_ONCE) {
        const batch = ids.slice(i, i + READ_AT_ONCE);
        const records = await Promise.all(batch.map((b) => deps.leads.get(b.leadId)));
        records.forEach((record, j) => {
            if (record !== undefined)
                leads.push(evaluate(record, batch[j]!, deps.active, activeTargets, proposed, proposedTargets));
        });
    }
    const byChange = { grade: 0, points: 0, outcome: 0, targets: 0 };
    for (const lead of leads) for (const c of lead.changes) byChange[c] += 1;
    return {
        kind: 'evaluated',
        activeVersion: deps.active.version,
        proposedVersion: proposed.version,
        evaluated: leads.length,
        changed: leads.filter((l) => l.changes.length > 0).length,
        byChange,
        leads,
    };
}

function evaluate(
    record: LeadRecord,
    shown: { name?: string; company?: string },
    active: PipelineConfig,
    activeTargets: ReadonlySet<string>,
    proposed: PipelineConfig,
    proposedTargets: ReadonlySet<string>,
): WhatIfLead {
    const at = record.decision?.decidedAt ?? record.receivedAt;
    const current = gistOf(decide(record.lead, active, at, { availableTargets: activeTargets }));
    const next = gistOf(decide(record.lead, proposed, at, { availableTargets: proposedTargets }));
    return {
        leadId: record.leadId,
        receivedAt: record.receivedAt,
        name: shown.name,
        company: shown.company,
        current,
        proposed: next,
        changes: changesBetween(current, next),
    };
}
