/**
 * Routing: ordered rules pick named targets (`first-match`: the first matching rule; `all-matching`: the union, in
 * rule order); the default route applies when none matched. Test and blank leads route nowhere. Targets the outcome may not
 * reach (DNC → outreach, `deliverTo` in the config), disabled targets and targets missing from `availableTargets`
 * stay in the route with a `skippedReason`, so the decision shows what would have happened.
 */
import { compiledConfig } from './compiledConfig';
import type { Qualification, Route, RoutedTarget, RuleHit } from './Decision';
import type { LeadFacts } from './facts';
import type { PipelineConfig } from './pipelineConfig';

export interface RouteOptions {
    /** Targets that are enabled and configured at run time (`enabled: "auto"` resolved); others are skipped. */
    availableTargets?: ReadonlySet<string>;
}

export function routeFacts(
    facts: LeadFacts,
    qualification: Qualification,
    config: PipelineConfig,
    options: RouteOptions = {},
): Route {
    const mode = config.routing.mode;
    if (qualification.outcome === 'test' || qualification.outcome === 'blank') {
        return { mode, matchedRules: [], usedDefault: false, targets: [] };
    }
    const matchedRules: RuleHit[] = [];
    const byTarget = new Map<string, string[]>();
    for (const { rule, test } of compiledConfig(config).routing) {
        if (!test(facts)) continue;
        matchedRules.push({ ruleId: rule.id, description: rule.description });
        for (const t of rule.targets) byTarget.set(t, [...(byTarget.get(t) ?? []), rule.id]);
        if (mode === 'first-match') break;
    }
    const usedDefault = matchedRules.length === 0;
    if (usedDefault) for (const t of config.routing.default.targets) byTarget.set(t, ['default']);
    const allowedRoles: readonly string[] = config.qualification.deliverTo[qualification.outcome];
    const targets: RoutedTarget[] = [];
    for (const [target, rules] of byTarget) {
        const cfg = config.targets[target];
        if (cfg === undefined) continue; // parsePipelineConfig rejects this; a hand-built config just skips it.
        const routed: RoutedTarget = { target, role: cfg.role, matchedRules: rules };
        const skipped = skipReason(
            cfg.role,
            cfg.enabled,
            allowedRoles,
            qualification,
            options.availableTargets?.has(target),
        );
        if (skipped !== undefined) routed.skippedReason = skipped;
        targets.push(routed);
    }
    return { mode, matchedRules, usedDefault, targets };
}

function skipReason(
    role: string,
    enabled: boolean | 'auto',
    allowedRoles: readonly string[],
    qualification: Qualification,
    available: boolean | undefined,
): string | undefined {
    if (!allowedRoles.includes(role)) {
        return qualification.outcome === 'do-not-contact'
            ? 'do-not-contact: outreach targets never receive this lead'
            : `${qualification.outcome}: ${role} targets do not receive this outcome (qualification.deliverTo)`;
    }
    if (enabled === false) return 'target disabled in config';
    if (available === false) return 'target not configured (enabled "auto" and a referenced setting is empty)';
    return undefined;
}
