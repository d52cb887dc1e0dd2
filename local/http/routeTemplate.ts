import { type Constraint, parseConstraint } from './routeConstraints';

interface Parameter {
    name: string;
    constraints: Constraint[];
    optional: boolean;
    catchAll: boolean;
    defaultValue: string | undefined;
}

export interface RouteTemplate {
    template: string;
    /** Orders templates like ASP.NET routing: literal segments before constrained, plain, optional, catch-all. */
    rank: number[];
    /** The route parameters when `path` (relative to the route prefix, no leading slash) matches. */
    match(path: string): Record<string, string> | undefined;
}

const OPEN = '\u0001';
const CLOSE = '\u0002';

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits `name:c1:c2(a,b)` at colons that are not inside a constraint's parentheses. */
function splitSpec(spec: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let current = '';
    for (const ch of spec) {
        if (ch === '(') depth++;
        if (ch === ')') depth--;
        if (ch === ':' && depth === 0) {
            parts.push(current);
            current = '';
        } else current += ch;
    }
    parts.push(current);
    return parts;
}

function parseParameter(spec: string): Parameter {
    const [head = '', ...constraintSpecs] = splitSpec(spec);
    let name = head.trim();
    const catchAll = name.startsWith('*');
    if (catchAll) name = name.replace(/^\*+/, '');
    let defaultValue: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
        defaultValue = name.slice(eq + 1);
        name = name.slice(0, eq);
    }
    let optional = catchAll || defaultValue !== undefined;
    const last = constraintSpecs.length > 0 ? constraintSpecs.length - 1 : -1;
    const strip = (s: string): string => (s.endsWith('?') ? ((optional = true), s.slice(0, -1)) : s);
    if (last >= 0) constraintSpecs[last] = strip(constraintSpecs[last] ?? '');
    else name = strip(name);
    if (!/^[A-Za-z_][\w-]*$/.test(name)) throw new Error(`Invalid route parameter '{${spec}}'`);
    return { name, constraints: constraintSpecs.map(parseConstraint), optional, catchAll, defaultValue };
}

function safeDecode(raw: string): string {
    try {
        return decodeURIComponent(raw);
    } catch {
        return raw;
    }
}

/** Compiles an Azure Functions route template (`items/{id:int}`, `files/{*path}`, `a/{b?}`) into a matcher. */
export function compileRoute(template: string): RouteTemplate {
    const segments = template
        .replace(/^\/+|\/+$/g, '')
        .split('/')
        .filter((s) => s !== '');
    const params: Parameter[] = [];
    const rank: number[] = [];
    let pattern = '^';
    for (const segment of segments) {
        // `{{` and `}}` are literal braces (ASP.NET escaping), also inside regex constraints: hide them while splitting.
        const hidden = segment.replace(/\{\{/g, OPEN).replace(/\}\}/g, CLOSE);
        const restore = (t: string): string => t.replaceAll(OPEN, '{').replaceAll(CLOSE, '}');
        const tokens = hidden
            .split(/(\{[^{}]*\})/)
            .filter((t) => t !== '')
            .map((t) => (t.startsWith('{') ? { param: restore(t.slice(1, -1)) } : { literal: restore(t) }));
        const only =
            tokens.length === 1 && tokens[0]?.param !== undefined ? parseParameter(tokens[0].param) : undefined;
        if (only?.catchAll) {
            params.push(only);
            pattern += '(?:/(.*))?';
            rank.push(4);
            continue;
        }
        if (only?.optional) {
            params.push(only);
            pattern += '(?:/([^/]+))?';
            rank.push(3);
            continue;
        }
        let body = '';
        let segmentRank = 0;
        for (const token of tokens) {
            if (token.param !== undefined) {
                const param = parseParameter(token.param);
                if (param.catchAll) throw new Error(`Catch-all parameter must be a whole segment in '${template}'`);
                params.push(param);
                body += '([^/]+?)';
                segmentRank = Math.max(segmentRank, param.constraints.length > 0 ? 1 : 2);
            } else body += escapeRegex(token.literal);
        }
        pattern += `/${body}`;
        rank.push(segmentRank);
    }
    const regex = new RegExp(`${pattern}/?$`, 'i');
    return {
        template,
        rank,
        match(path) {
            const m = regex.exec(`/${path}`.replace(/\/+$/, '') || '/');
            if (!m) return undefined;
            const values: Record<string, string> = {};
            for (const [i, param] of params.entries()) {
                const raw = m[i + 1];
                const value = raw === undefined || raw === '' ? param.defaultValue : safeDecode(raw);
                if (value === undefined) continue;
                if (!param.constraints.every((c) => c(value))) return undefined;
                values[param.name] = value;
            }
            return values;
        },
    };
}

/** Most specific first, so `items/new` wins over `items/{id}` and `{*rest}` comes last. */
export function compareRoutes(a: RouteTemplate, b: RouteTemplate): number {
    for (let i = 0; i < Math.max(a.rank.length, b.rank.length); i++) {
        const x = a.rank[i] ?? -1;
        const y = b.rank[i] ?? -1;
        if (x !== y) return x === -1 ? 1 : y === -1 ? -1 : x - y;
    }
    return 0;
}
