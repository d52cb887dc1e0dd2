/**
 * Parsed view of the Bicep templates under `infra/`, built on tree-sitter-bicep (a syntax tree only: no types, no
 * symbol resolution). The tests assert project rules over these trees.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { type Node, parseSources } from './parseBicep';

export { type Node, parseBicep, syntaxErrors } from './parseBicep';

export const repoRoot = join(__dirname, '../..');
export const infraDir = join(repoRoot, 'infra');

export interface Template {
    /** Path relative to `infra/`, with forward slashes. */
    file: string;
    source: string;
    root: Node;
}

function bicepFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return bicepFiles(path);
        return entry.name.endsWith('.bicep') ? [path] : [];
    });
}

let cache: Template[] | undefined;

export function templates(): Template[] {
    if (!cache) {
        const files = bicepFiles(infraDir);
        const sources = files.map((f) => readFileSync(f, 'utf8'));
        const roots = parseSources(sources);
        cache = files.map((f, i) => ({
            file: relative(infraDir, f).split('\\').join('/'),
            source: sources[i]!,
            root: roots[i]!,
        }));
    }
    return cache;
}

export function template(file: string): Template {
    const found = templates().find((t) => t.file === file);
    if (!found) throw new Error(`infra/${file} does not exist`);
    return found;
}

/** The text of a string literal without its quotes (interpolations kept as written). */
export function unquote(node: Node): string {
    return node.text.replace(/^'|'$/g, '');
}

export interface Resource {
    symbol: string;
    type: string;
    apiVersion: string;
    existing: boolean;
    node: Node;
    file: string;
}

export function resources(t: Template): Resource[] {
    return t.root.descendantsOfType('resource_declaration').map((node) => {
        const [typeName, apiVersion] = unquote(node.namedChildren[1]!).split('@') as [string, string];
        return {
            symbol: node.namedChildren[0]!.text,
            type: typeName,
            apiVersion,
            existing: node.children.some((c) => c.type === 'existing'),
            node,
            file: t.file,
        };
    });
}

export function allResources(): Resource[] {
    return templates().flatMap(resources);
}

export interface Param {
    name: string;
    type: string;
    decorators: string[];
    node: Node;
}

export function params(t: Template): Param[] {
    return t.root.descendantsOfType('parameter_declaration').map((node) => {
        const previous = node.previousNamedSibling;
        const decorators =
            previous?.type === 'decorators'
                ? previous.namedChildren.map((d) => d.text.replace(/^@/, '').replace(/\(.*$/s, ''))
                : [];
        return { name: node.namedChildren[0]!.text, type: node.namedChildren[1]!.text, decorators, node };
    });
}

/** The value node of `var <name> = …`. */
export function variable(t: Template, name: string): Node {
    const decl = t.root.descendantsOfType('variable_declaration').find((v) => v.namedChildren[0]?.text === name);
    if (!decl) throw new Error(`var ${name} not found in infra/${t.file}`);
    return decl.namedChildren[decl.namedChildren.length - 1]!;
}

/** Keys of the object literal's own properties (not nested ones). */
export function objectKeys(object: Node): string[] {
    const obj = object.type === 'object' ? object : object.descendantsOfType('object')[0];
    if (!obj) return [];
    return obj.namedChildren
        .filter((p) => p.type === 'object_property')
        .map((p) => {
            const key = p.namedChildren[0]!;
            return key.type === 'string' ? unquote(key) : key.text;
        });
}

/** The value node of an object's own property, or undefined. */
export function property(object: Node, key: string): Node | undefined {
    const prop = object.namedChildren.find(
        (p) => p.type === 'object_property' && [key, `'${key}'`].includes(p.namedChildren[0]?.text ?? ''),
    );
    return prop?.namedChildren[prop.namedChildren.length - 1];
}

/** Follows a dotted path (`properties.functionAppConfig.runtime`) through nested object literals. */
export function path(object: Node, dotted: string): Node | undefined {
    let current: Node | undefined = object;
    for (const key of dotted.split('.')) {
        if (!current) return undefined;
        const obj: Node | undefined = current.type === 'object' ? current : current.descendantsOfType('object')[0];
        current = obj ? property(obj, key) : undefined;
    }
    return current;
}

/** The body object of a resource or module declaration (through `if (…)` and `[for …: {…}]`). */
export function body(declaration: Node): Node {
    const obj = declaration.descendantsOfType('object')[0];
    if (!obj) throw new Error(`no body in ${declaration.text.slice(0, 60)}`);
    return obj;
}

export interface Module {
    symbol: string;
    path: string;
    node: Node;
}

export function modules(t: Template): Module[] {
    return t.root.descendantsOfType('module_declaration').map((node) => ({
        symbol: node.namedChildren[0]!.text,
        path: unquote(node.namedChildren[1]!),
        node,
    }));
}
