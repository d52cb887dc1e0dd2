/**
 * Qualification. Three rules are fixed by the marketplace contract and run first: test leads and blank leads are
 * never delivered, DNC never reaches outreach. Configured rules then add disqualified / incomplete / do-not-contact; every rule that
 * matched is listed, and the most restrictive outcome wins.
 */
import { compiledConfig } from './compiledConfig';
import type { Qualification, QualificationOutcome, RuleHit } from './Decision';
import type { LeadFacts } from './facts';
import type { PipelineConfig } from './pipelineConfig';

const severity: Record<QualificationOutcome, number> = {
    qualified: 0,
    incomplete: 1,
    disqualified: 2,
    'do-not-contact': 3,
    blank: 4,
    test: 5,
};

export const builtinRules = {
    test: {
        ruleId: 'builtin.test-lead',
        description: 'Marketplace test lead (MSFT_TEST_ marker): destination validated',
    },
    blank: {
        ruleId: 'builtin.blank-lead',
        description: 'No contact, no LeadSource and no offer: a blank marketplace lead, recorded and never delivered',
    },
    dnc: { ruleId: 'builtin.do-not-contact', description: 'Action code DNC: notify only, never reach out' },
    qualified: { ruleId: 'builtin.qualified', description: 'No qualification rule matched' },
} as const satisfies Record<string, RuleHit>;

export function qualifyFacts(facts: LeadFacts, config: PipelineConfig): Qualification {
    const reasons: RuleHit[] = [];
    let outcome: QualificationOutcome = 'qualified';
    const raise = (to: QualificationOutcome, hit: RuleHit): void => {
        reasons.push(hit);
        if (severity[to] > severity[outcome]) outcome = to;
    };
    if (facts.isTest) raise('test', builtinRules.test);
    if (facts.isBlank) raise('blank', builtinRules.blank);
    if (facts.action === 'do-not-contact') raise('do-not-contact', builtinRules.dnc);
    for (const { rule, test } of compiledConfig(config).qualification) {
        if (test(facts)) raise(rule.outcome, { ruleId: rule.id, description: rule.description });
    }
    if (reasons.length === 0) reasons.push(builtinRules.qualified);
    return { outcome, reasons };
}
