/**
 * Scoring: every matching rule adds its points (negative points subtract); the grade is the first threshold the total
 * reaches, highest first, else `defaultGrade`. The breakdown names each rule and its points.
 */
import { compiledConfig } from './compiledConfig';
import type { Score, ScoreEntry } from './Decision';
import type { LeadFacts } from './facts';
import type { PipelineConfig } from './pipelineConfig';

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
