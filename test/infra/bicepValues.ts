/**
 * A partial evaluator for the Bicep templates: it computes what each expression can be, as far as that is known
 * without Azure. Literals, parameters (their default, @allowed values and @minValue/@maxValue bounds, or what
 * main.bicep passes a module), variables, loop variables over known arrays, ternaries (both branches), string
 * interpolation, member access and a few pure functions are evaluated; anything else (resource outputs, ids,
 * uniqueString…) is `Unknown`. Alternatives are kept as `Alt` so every possible value can be checked.
 */
import { modules, type Node, type Template, template, unquote } from './bicepTemplates';

export class Unknown {
    constructor(readonly text: string) {}
}

export class Alt {
    constructor(readonly options: Value[]) {}
}

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value } | Unknown | Alt;

/** Every concrete alternative of a value, at the top level only. */
export function alternatives(value: Value): Value[] {
    return value instanceof Alt ? value.options.flatMap(alternatives) : [value];
}

const MAX_ALTERNATIVES = 64;

function alt(options: Value[]): Value {
    const flat: Value[] = [];
    for (const o of options.flatMap(alternatives)) {
        if (!flat.some((f) => JSON.stringify(f) === JSON.stringify(o) && !(o instanceof Unknown))) flat.push(o);
    }
    if (flat.length === 1) return flat[0]!;
    if (flat.length > MAX_ALTERNATIVES) return new Unknown('too many alternatives');
    return new Alt(flat);
}

type Scope = Map<string, () => Value>;

interface Context {
    t: Template;
    scope: Scope;
}

/** Parameter candidates from its declaration: @allowed values and bounds, then the default (last). */
function paramCandidates(decl: Node, ctx: Context): { declared: Value[]; fallback: Value[] } {
    const candidates: Value[] = [];
    const previous = decl.previousNamedSibling;
    if (previous?.type === 'decorators') {
        for (const d of previous.namedChildren) {
            const call = d.descendantsOfType('call_expression')[0];
            const name = call?.namedChildren[0]?.text;
            const args = call?.namedChildren[1]?.namedChildren ?? [];
            if (name === 'allowed' && args[0]) candidates.push(...alternativesOfArray(evaluate(args[0], ctx)));
            if ((name === 'minValue' || name === 'maxValue') && args[0]) candidates.push(evaluate(args[0], ctx));
        }
    }
    const children = decl.namedChildren;
    const defaultNode = children.length > 2 ? children[children.length - 1] : undefined;
    const fallback = defaultNode && defaultNode.type !== 'type' ? [evaluate(defaultNode, ctx)] : [];
    return { declared: candidates, fallback };
}

function alternativesOfArray(value: Value): Value[] {
    return Array.isArray(value) ? value : [new Unknown('allowed list')];
}

/** Module file → the `params` object main.bicep passes it (evaluated in main.bicep's scope). */
function callerArgs(file: string): Record<string, () => Value> | undefined {
    const main = template('main.bicep');
    const own = file.replace(/#.*$/, '');
    const calls = modules(main).filter((m) => m.path === own);
    if (calls.length === 0) return undefined;
    const ctx = context(main);
    const result: Record<string, () => Value> = {};
    for (const call of calls) {
        const body = call.node.descendantsOfType('object')[0]!;
        const params = body.namedChildren.find(
            (p) => p.type === 'object_property' && p.namedChildren[0]?.text === 'params',
        );
        const obj = params?.namedChildren[1];
        for (const p of obj?.namedChildren.filter((c) => c.type === 'object_property') ?? []) {
            const name = p.namedChildren[0]!.text;
            const previous = result[name];
            result[name] = () =>
                previous ? alt([previous(), evaluate(p.namedChildren[1]!, ctx)]) : evaluate(p.namedChildren[1]!, ctx);
        }
    }
    return result;
}

const contexts = new WeakMap<Template, Context>();

export function context(t: Template): Context {
    const found = contexts.get(t);
    if (found) return found;
    const scope: Scope = new Map();
    const ctx: Context = { t, scope };
    contexts.set(t, ctx);
    const memo = (f: () => Value) => {
        let done = false;
        let value: Value = new Unknown('recursive');
        return () => {
            if (!done) {
                done = true;
                value = f();
            }
            return value;
        };
    };
    const args = t.file === 'main.bicep' ? undefined : callerArgs(t.file);
    for (const decl of t.root.descendantsOfType('parameter_declaration')) {
        const name = decl.namedChildren[0]!.text;
        scope.set(
            name,
            memo(() => {
                const passed = args?.[name]?.();
                const { declared, fallback } = paramCandidates(decl, ctx);
                // A value main.bicep passes replaces the default; the values the module itself admits (@allowed,
                // @minValue/@maxValue) stay candidates, since the module accepts them.
                if (passed !== undefined && !(passed instanceof Unknown)) return alt([passed, ...declared]);
                const own = [...declared, ...fallback];
                return own.length > 0 ? alt(own) : new Unknown(`param ${name}`);
            }),
        );
    }
    for (const decl of t.root.descendantsOfType('variable_declaration')) {
        const name = decl.namedChildren[0]!.text;
        const expr = decl.namedChildren[decl.namedChildren.length - 1]!;
        scope.set(
            name,
            memo(() => evaluate(expr, ctx)),
        );
    }
    return ctx;
}

function stringValue(node: Node, ctx: Context): Value {
    let parts: string[] = [''];
    for (const child of node.children) {
        if (child.type === 'string_content') parts = parts.map((p) => p + child.text);
        else if (child.type === 'escape_sequence') parts = parts.map((p) => p + unescape(child.text));
        else if (child.type === 'interpolation') {
            const inner = child.namedChildren[0];
            const values = inner ? alternatives(evaluate(inner, ctx)) : [];
            if (values.some((v) => v instanceof Unknown || (typeof v === 'object' && v !== null))) {
                return new Unknown(node.text);
            }
            const next: string[] = [];
            for (const p of parts)
                for (const v of values) next.push(p + (typeof v === 'string' ? v : JSON.stringify(v)));
            if (next.length > MAX_ALTERNATIVES) return new Unknown(node.text);
            parts = next;
        }
    }
    return alt(parts);
}

function unescape(text: string): string {
    const map: Record<string, string> = { "\\'": "'", '\\\\': '\\', '\\n': '\n', '\\r': '\r', '\\t': '\t', '\\$': '$' };
    return map[text] ?? text;
}

function member(value: Value, key: string, text: string): Value {
    return alt(
        alternatives(value).map((v) =>
            v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof Alt)
                ? (v[key] ?? new Unknown(text))
                : new Unknown(text),
        ),
    );
}

function call(name: string, args: Value[], text: string): Value {
    if (args.some((a) => a instanceof Alt)) {
        // Each combination of the arguments' alternatives (a ternary argument gives both results).
        let combos: Value[][] = [[]];
        for (const a of args) combos = combos.flatMap((c) => alternatives(a).map((o) => [...c, o]));
        if (combos.length > MAX_ALTERNATIVES) return new Unknown(text);
        return alt(combos.map((c) => call(name, c, text)));
    }
    if (args.some((a) => a instanceof Unknown)) return new Unknown(text);
    switch (name) {
        case 'string':
            return typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
        case 'toLower':
            return typeof args[0] === 'string' ? args[0].toLowerCase() : new Unknown(text);
        case 'empty':
            return args[0] === '' || args[0] === null || (Array.isArray(args[0]) && args[0].length === 0);
        case 'union':
            if (args.every((a) => a !== null && typeof a === 'object' && !Array.isArray(a))) {
                return Object.assign({}, ...(args as object[])) as Value;
            }
            return new Unknown(text);
        default:
            return new Unknown(text);
    }
}

export function evaluate(node: Node, ctx: Context): Value {
    switch (node.type) {
        case 'string':
            return stringValue(node, ctx);
        case 'number':
            return Number(node.text);
        case 'boolean':
            return node.text === 'true';
        case 'null':
            return null;
        case 'array':
            return node.namedChildren.filter((c) => c.type !== 'comment').map((c) => evaluate(c, ctx));
        case 'object': {
            const obj: Record<string, Value> = {};
            for (const p of node.namedChildren.filter((c) => c.type === 'object_property')) {
                const key = p.namedChildren[0]!;
                obj[key.type === 'string' ? unquote(key) : key.text] = evaluate(
                    p.namedChildren[p.namedChildren.length - 1]!,
                    ctx,
                );
            }
            return obj;
        }
        case 'parenthesized_expression':
            return evaluate(node.namedChildren[0]!, ctx);
        case 'identifier': {
            const found = ctx.scope.get(node.text);
            return found ? found() : new Unknown(node.text);
        }
        case 'member_expression': {
            const [object, property] = node.namedChildren;
            return member(evaluate(object!, ctx), property!.text, node.text);
        }
        case 'ternary_expression': {
            // A condition known offline picks its branch; otherwise both are possible.
            const [condition, whenTrue, whenFalse] = node.namedChildren;
            const c = evaluate(condition!, ctx);
            if (c === true) return evaluate(whenTrue!, ctx);
            if (c === false) return evaluate(whenFalse!, ctx);
            return alt([evaluate(whenTrue!, ctx), evaluate(whenFalse!, ctx)]);
        }
        case 'unary_expression': {
            const operand = evaluate(node.namedChildren[0]!, ctx);
            const operator = node.children[0]?.text;
            if (operator === '!' && typeof operand === 'boolean') return !operand;
            if (operator === '-' && typeof operand === 'number') return -operand;
            return new Unknown(node.text);
        }
        case 'call_expression': {
            const name = node.namedChildren[0]!.text;
            const args = (node.namedChildren[1]?.namedChildren ?? []).map((a) => evaluate(a, ctx));
            return call(name, args, node.text);
        }
        case 'binary_expression': {
            const [left, right] = node.namedChildren;
            const operator = node.children.find((c) => !c.isNamed)?.text;
            const ls = alternatives(evaluate(left!, ctx));
            const rs = alternatives(evaluate(right!, ctx));
            if (operator === '==' || operator === '!=') {
                const l = evaluate(left!, ctx);
                const r = evaluate(right!, ctx);
                const known = (v: Value) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
                if (!known(l) || !known(r)) return new Unknown(node.text);
                return operator === '==' ? l === r : l !== r;
            }
            if (operator !== '*' && operator !== '+' && operator !== '-') return new Unknown(node.text);
            const out: Value[] = [];
            for (const l of ls)
                for (const r of rs) {
                    if (typeof l !== 'number' || typeof r !== 'number') return new Unknown(node.text);
                    out.push(operator === '*' ? l * r : operator === '+' ? l + r : l - r);
                }
            return alt(out);
        }
        default:
            return new Unknown(node.text);
    }
}

/**
 * The body of a resource declaration as values, one per loop element (`[for x in list: {...}]` over a known list
 * yields each element's body; over an unknown list, one body with the loop variable unknown).
 */
export function resourceBodies(t: Template, declaration: Node): Value[] {
    const ctx = context(t);
    const forStatement = declaration.namedChildren.find((c) => c.type === 'for_statement');
    const bodyOf = (n: Node): Node => {
        const ifStatement = n.namedChildren.find((c) => c.type === 'if_statement');
        return (ifStatement ?? n).namedChildren.find((c) => c.type === 'object')!;
    };
    if (!forStatement) return [evaluate(bodyOf(declaration), ctx)];
    const [variable, iterable] = forStatement.namedChildren;
    const loopBody = bodyOf(forStatement);
    const collection = alternatives(evaluate(iterable!, ctx));
    const elements: Value[] = collection.flatMap((c) => (Array.isArray(c) ? c : [new Unknown(iterable!.text)]));
    const names = variable!.type === 'identifier' ? [variable!.text] : variable!.namedChildren.map((c) => c.text);
    return elements.map((element) => {
        const scope: Scope = new Map(ctx.scope);
        scope.set(names[0]!, () => element);
        return evaluate(loopBody, { t, scope });
    });
}
