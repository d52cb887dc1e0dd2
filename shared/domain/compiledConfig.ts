/**
 * Conditions compiled once per config object and cached beside it (a WeakMap, so `PipelineConfig` stays plain JSON
 * that can travel through Durable Functions; a deserialised copy is compiled again on first use).
 */
import { compileCondition, type CompiledCondition } from './conditions';
import type { PipelineConfig, QualificationRule, RoutingRule, ScoringRule } from './pipelineConfig';

export interface Compiled<R> {
    rule: R;
    test: CompiledCondition;
}

export interface CompiledConfig {
    qualification: Compiled<QualificationRule>[];
    scoring: Compiled<ScoringRule>[];
    routing: Compiled<RoutingRule>[];
    /** Grades sorted by descending threshold. */
    grades: { grade: string; minPoints: number }[];
}

const cache = new WeakMap<PipelineConfig, CompiledConfig>();

export function compiledConfig(config: PipelineConfig): CompiledConfig {
    let c = cache.get(config);
    if (c === undefined) {
        const compile = <R extends { when: unknown }>(rule: R): Compiled<R> => ({
            rule,
            test: compileCondition(rule.when as Parameters<typeof compileCondition>[0]),
        });
        c = {
            qualification: config.qualification.rules.map(compile),
            scoring: config.scoring.rules.map(compile),
            routing: config.routing.rules.map(compile),
            grades: [...config.scoring.grades].sort((a, b) => b.minPoints - a.minPoints),
        };
        cache.set(config, c);
    }
    return c;
}
