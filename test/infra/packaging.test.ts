import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import semver from 'semver';

import { repoRoot } from './bicepTemplates';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    engines: { node: string };
    dependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }>;
};

describe('runtime and packaging', () => {
    it.each(['20.19.0', '22.12.0', '24.0.0'])(
        'when a publisher runs npm on Node %s, then engines does not warn',
        (version) => {
            expect(semver.satisfies(version, pkg.engines.node)).toBe(true);
        },
    );

    it('when the app runs on Node 22 (Azure) or 20 (this machine), then every runtime dependency accepts both', () => {
        const refuse = Object.entries(lock.packages)
            .filter(([path, p]) => path !== '' && !p.dev && p.engines && !Array.isArray(p.engines) && p.engines.node)
            .filter(([, p]) => {
                const range = (p.engines as { node: string }).node;
                return !semver.satisfies('20.19.0', range) || !semver.satisfies('22.12.0', range);
            })
            .map(([path, p]) => `${path}: ${(p.engines as { node: string }).node}`);
        expect(refuse).toEqual([]);
    });

    it('when Core Tools or azd read .funcignore, then every folder pattern is anchored to the project root', () => {
        const patterns = readFileSync(join(repoRoot, '.funcignore'), 'utf8')
            .split('\n')
            .filter((l) => l.trim() !== '' && !l.startsWith('#'));
        // Unanchored `test/` or `local/` would also drop node_modules/<pkg>/test/… from the package.
        expect(patterns.filter((p) => p.endsWith('/') && !p.startsWith('/'))).toEqual([]);
        expect(patterns).not.toContain('node_modules');
    });

    it('when azd packages the api service, then it zips the staged runtime-only folder, built locally', () => {
        const yaml = readFileSync(join(repoRoot, 'azure.yaml'), 'utf8');
        expect(yaml).toMatch(/dist: dist\/azure-package\n/);
        expect(yaml).toMatch(/remoteBuild: false\n/);
        expect(yaml).toMatch(/prepackage:\s*\n\s*posix:\s*\n\s*shell: sh\s*\n\s*run: npm run stage:azure/);
        expect(yaml).toMatch(/windows:\s*\n\s*shell: pwsh\s*\n\s*run: npm run stage:azure/);
    });
});
