/**
 * Compiles the common JsonLogic operators into closures once per config, with exactly json-logic-js's semantics
 * (loose `==`, its truthiness, `and`/`or` returning values); every other operator is handed to json-logic-js
 * itself. A property test checks that compiled and interpreted results agree on generated conditions.
 */
import jsonLogic, { type RulesLogic } from 'json-logic-js';

import { isPlainObject } from './caseInsensitive';

type Fn = (data: Record<string, unknown>) => unknown;

const truthy = (v: unknown): boolean => jsonLogic.truthy(v);

const binary: Record<string, (a: unknown, b: unknown) => unknown> = {
    // eslint-disable-next-line eqeqeq -- JsonLogic's `==` is JavaScript's loose equality by definition.
    '==': (a, b) => a == b,
    '===': (a, b) => a === b,
    // eslint-disable-next-line eqeqeq -- as above.
    '!=': (a, b) => a != b,
    '!==': (a, b) => a !== b,
    '>': (a, b) => (a as number) > (b as number),
    '>=': (a, b) => (a as number) >= (b as number),
    '<': (a, b) => (a as number) < (b as number),
    '<=': (a, b) => (a as number) <= (b as number),
    in: (a, b) => {
        if (!b) return false; // json-logic-js: an empty string contains nothing, not even ""
        if (typeof b === 'string') return b.indexOf(a as string) !== -1;
        if (Array.isArray(b)) return b.indexOf(a) !== -1;
        return false;
    },
};

export function compileJsonLogic(logic: RulesLogic): Fn {
    if (Array.isArray(logic)) {
        const items = logic.map((l) => compileJsonLogic(l as RulesLogic));
        return (d) => items.map((f) => f(d));
    }
    if (!isPlainObject(logic)) return () => logic;
    const keys = Object.keys(logic);
    const op = keys[0];
    if (keys.length !== 1 || op === undefined) return () => logic;
    const raw: unknown = (logic as Record<string, unknown>)[op];
    const args: unknown[] = Array.isArray(raw) ? raw : [raw];
    const interpreted: Fn = (d) => jsonLogic.apply(logic, d);
    if (op === 'var') {
        const [name, fallback] = args;
        if (typeof name !== 'string' || name === '' || name.includes('.')) return interpreted;
        const notFound = fallback === undefined ? null : fallback;
        if (isPlainObject(fallback) || Array.isArray(fallback)) return interpreted;
        return (d) => {
            const v = d[name];
            return v === undefined ? notFound : v;
        };
    }
    const fns = args.map((a) => compileJsonLogic(a as RulesLogic));
    const bin = binary[op];
    if (bin !== undefined && fns.length === 2) {
        const [fa, fb] = fns as [Fn, Fn];
        return (d) => bin(fa(d), fb(d));
    }
    if ((op === '!' || op === '!!') && fns.length >= 1) {
        const fa = fns[0] as Fn;
        return op === '!' ? (d) => !truthy(fa(d)) : (d) => truthy(fa(d));
    }
    if ((op === 'and' || op === 'or') && fns.length >= 1) {
        const isAnd = op === 'and';
        return (d) => {
            let current: unknown;
            for (const f of fns) {
                current = f(d);
                if (truthy(current) !== isAnd) return current;
            }
            return current;
        };
    }
    return interpreted;
}
