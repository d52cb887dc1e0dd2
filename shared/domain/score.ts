/**
 * Scoring: every matching rule adds its points (negative points subtract); the grade is the first threshold the total
 * reaches, highest first, else `defaultGrade`. The breakdown names each rule and its points.
 */
import { compiledConfig } from './compiledConfig';
import type { Score, ScoreEntry } from './Decision';
import { type LeadFacts, leadFacts } from './facts';
import type { Lead } from './Lead';
import type { PipelineConfig } from './pipelineConfig';
import { qualifyFacts } from './qualify';

export function scoreFacts(facts: LeadFacts, config: PipelineConfig): Score {
    const compiled = compiledConfig(config);
    const breakdown: ScoreEntry[] = [];
    let points = 0;
    for (const { rule, test } of compiled.scoring) {
        if (!test(facts)) continue;
        points += rule.points;
        breakdown.push({ ruleId: rule.id, description: rule.description, points: rule.points });
    }
    const grade = compiled.grades.find((g) => points >= g.minPoints)?.grade ?? config.scoring.defaultGrade;
    return { points, grade, breakdown };
}

export function score(lead: Lead, config: PipelineConfig, _now?: string | Date): Score {
    const facts = leadFacts(lead);
    facts.qualification = qualifyFacts(facts, config).outcome;
    return scoreFacts(facts, config);
}
