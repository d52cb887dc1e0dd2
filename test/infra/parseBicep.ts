/**
 * Bicep parsing with tree-sitter-bicep (a syntax tree only: no types, no symbol resolution), returned as plain data.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '../..');

/** Tree node kept as plain data: the subset of tree-sitter's SyntaxNode these tests use. */
export class Node {
    previousNamedSibling: Node | undefined;
    constructor(
        readonly type: string,
        readonly isNamed: boolean,
        readonly isMissing: boolean,
        readonly startPosition: { row: number; column: number },
        readonly text: string,
        readonly children: Node[],
    ) {
        let previous: Node | undefined;
        for (const child of children) {
            child.previousNamedSibling = previous;
            if (child.isNamed) previous = child;
        }
    }

    get namedChildren(): Node[] {
        return this.children.filter((c) => c.isNamed);
    }

    descendantsOfType(type: string): Node[] {
        const found: Node[] = [];
        const visit = (n: Node) => {
            if (n.type === type) found.push(n);
            n.children.forEach(visit);
        };
        this.children.forEach(visit);
        return found;
    }
}

type Wire = [
    type: string,
    named: 0 | 1,
    missing: 0 | 1,
    row: number,
    column: number,
    start: number,
    end: number,
    children: Wire[],
];

/*
 * tree-sitter's native binding misbehaves when Jest loads it afresh for every test file in the same worker (its JS
 * wrapper patches the native classes again), so parsing runs in a child Node process that returns plain data.
 */
const parserScript = `
const Parser = require('tree-sitter');
const parser = new Parser();
parser.setLanguage(require('tree-sitter-bicep'));
const wire = (n) => [n.type, n.isNamed ? 1 : 0, n.isMissing ? 1 : 0, n.startPosition.row, n.startPosition.column,
  n.startIndex, n.endIndex, n.children.map(wire)];
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', () => {
  const sources = JSON.parse(input);
  process.stdout.write(JSON.stringify(sources.map((s) => wire(parser.parse(s).rootNode))));
});`;

/** Parses several sources in one child process (node-tree-sitter offsets are JS string indices). */
export function parseSources(sources: string[]): Node[] {
    const result = spawnSync(process.execPath, ['-e', parserScript], {
        cwd: repoRoot,
        input: JSON.stringify(sources),
        encoding: 'utf8',
        stdio: 'pipe',
        maxBuffer: 256 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`tree-sitter-bicep failed: ${result.stderr}`);
    const wires = JSON.parse(result.stdout) as Wire[];
    return wires.map((w, i) => {
        const source = sources[i]!;
        const build = ([type, named, missing, row, column, start, end, children]: Wire): Node =>
            new Node(type, named === 1, missing === 1, { row, column }, source.slice(start, end), children.map(build));
        return build(w);
    });
}

export function parseBicep(source: string): Node {
    return parseSources([source])[0]!;
}

/** Every ERROR or MISSING node, with its 1-based line:column. */
export function syntaxErrors(root: Node): string[] {
    const errors: string[] = [];
    const visit = (node: Node) => {
        if (node.type === 'ERROR' || node.isMissing) {
            const where = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
            errors.push(`${node.isMissing ? `missing ${node.type}` : 'ERROR'} at ${where}: ${node.text.slice(0, 60)}`);
        }
        for (const child of node.children) visit(child);
    };
    visit(root);
    return errors;
}
