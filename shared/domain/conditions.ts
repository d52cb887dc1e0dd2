/**
 * Rule conditions are JsonLogic (https://jsonlogic.com), evaluated by json-logic-js. At load time every condition is
 * checked: only side-effect-free operators (no `log`, no `method`, which could call functions on the facts), and
 * every `var` names a fact known at that stage, so a typo is a config error instead of a silently false rule.
 */
import jsonLogic, { type RulesLogic } from 'json-logic-js';

import { isPlainObject } from './caseInsensitive';
import { compileJsonLogic } from './compileJsonLogic';
import type { FactStage } from './facts';
import { factNamesByStage } from './facts';

/** A JsonLogic rule; json-logic-js's type already includes the literals `true` and `false`. */
export type Condition = RulesLogic;

const valueOps = new Set(['==', '===', '!=', '!==', '>', '>=', '<', '<=', '!!', '!', '%', 'in', 'cat', 'substr']);
const moreOps = new Set(['+', '*', '-', '/', 'min', 'max', 'merge', 'if', '?:', 'and', 'or']);
/** The second argument of these runs per array element: its `var`s name the element, not a fact. */
const arrayOps = new Set(['map', 'filter', 'all', 'none', 'some', 'reduce']);

export interface ConditionProblem {
    path: string;
    message: string;
}

export function validateCondition(cond: unknown, stage: FactStage, path: string): ConditionProblem[] {
    const problems: ConditionProblem[] = [];
    walk(cond, path, factNamesByStage[stage], stage, problems, false);
    return problems;
}

function walk(
    node: unknown,
    path: string,
    facts: ReadonlySet<string>,
    stage: FactStage,
    out: ConditionProblem[],
    elementScope: boolean,
    depth = 0,
): void {
    if (depth > 64) {
        out.push({ path, message: 'condition is nested too deeply (max 64)' });
        return;
    }
    if (Array.isArray(node)) {
        node.forEach((n, i) => walk(n, `${path}[${i}]`, facts, stage, out, elementScope, depth + 1));
        return;
    }
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length !== 1) {
        out.push({ path, message: `a JsonLogic operation has exactly one key (found ${keys.length})` });
        return;
    }
    const op = keys[0] ?? '';
    const args = node[op];
    const argPath = `${path}.${op}`;
    if (op === 'var') {
        if (!elementScope) checkVar(args, argPath, facts, stage, out);
        return;
    }
    if (op === 'missing' || op === 'missing_some') {
        const names: unknown = op === 'missing_some' && Array.isArray(args) ? args[1] : args;
        for (const n of Array.isArray(names) ? (names as unknown[]) : [names]) {
            if (typeof n !== 'string' || !facts.has(n)) out.push({ path: argPath, message: unknownFact(n, stage) });
        }
        return;
    }
    if (arrayOps.has(op)) {
        const list = Array.isArray(args) ? args : [args];
        list.forEach((n, i) =>
            walk(n, `${argPath}[${i}]`, facts, stage, out, i === 0 ? elementScope : true, depth + 1),
        );
        return;
    }
    if (!valueOps.has(op) && !moreOps.has(op)) {
        out.push({ path: argPath, message: `unknown or disallowed JsonLogic operator "${op.slice(0, 40)}"` });
        return;
    }
    walk(args, argPath, facts, stage, out, elementScope, depth + 1);
}

function checkVar(
    args: unknown,
    path: string,
    facts: ReadonlySet<string>,
    stage: FactStage,
    out: ConditionProblem[],
): void {
    const name: unknown = Array.isArray(args) ? args[0] : args;
    if (typeof name !== 'string' || !facts.has(name)) out.push({ path, message: unknownFact(name, stage) });
}

function unknownFact(name: unknown, stage: FactStage): string {
    const shown = typeof name === 'string' ? `"${name.slice(0, 60)}"` : typeof name;
    return `unknown fact ${shown} for a ${stage} condition (see docs/pipeline-config.md for the facts)`;
}

export type CompiledCondition = (facts: object) => boolean;

/** Compiled once per config (see compileJsonLogic); the result is read with JsonLogic's truthiness. */
export function compileCondition(cond: Condition): CompiledCondition {
    if (cond === true) return () => true;
    if (cond === false) return () => false;
    const fn = compileJsonLogic(cond);
    return (facts) => jsonLogic.truthy(fn(facts as Record<string, unknown>));
}
