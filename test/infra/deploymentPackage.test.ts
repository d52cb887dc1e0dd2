import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stageDeployment } from '../../scripts/stageDeployment';
import { repoRoot } from './bicepTemplates';

const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; link?: boolean; resolved?: string }>;
};

function installed(root: string): string[] {
    const found: string[] = [];
    const walk = (dir: string, prefix: string) => {
        if (!existsSync(dir)) return;
        for (const entry of readdirSync(dir)) {
            if (entry.startsWith('.')) continue;
            if (entry.startsWith('@')) {
                walk(join(dir, entry), `${prefix}${entry}/`);
                continue;
            }
            const path = `${prefix}${entry}`;
            found.push(path);
            walk(join(dir, entry, 'node_modules'), `${path}/node_modules/`);
        }
    };
    walk(join(root, 'node_modules'), 'node_modules/');
    return found;
}

describe('the deployment package azd uploads (dist/azure-package)', () => {
    let out: string;
    beforeAll(() => {
        out = mkdtempSync(join(tmpdir(), 'deploy-'));
        stageDeployment({ root: repoRoot, out });
    }, 240_000);
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it("when staged, then node_modules holds exactly the lockfile's runtime packages and no devDependency", () => {
        const packages = installed(out).sort();
        const runtime = Object.entries(lock.packages)
            // A `file:` link's own entry carries no dev flag; the package it links to does.
            .filter(
                ([path, p]) => path.startsWith('node_modules/') && !(p.link ? lock.packages[p.resolved!]?.dev : p.dev),
            )
            .map(([path]) => path)
            .sort();
        expect(packages).toEqual(runtime);
        for (const dev of ['jest', 'typescript', 'azurite', 'eslint', '@azure/arm-appservice', 'tree-sitter']) {
            expect(existsSync(join(out, 'node_modules', dev))).toBe(false);
        }
    });

    it('when staged, then it holds the compiled app, host.json and the pipeline config, and none of the local host, tests or scripts', () => {
        for (const path of [
            'host.json',
            'package.json',
            'config/pipeline.json',
            'dist/functions',
            'dist/shared',
            '.funcignore',
        ]) {
            expect(existsSync(join(out, path))).toBe(true);
        }
        for (const path of ['dist/local', 'dist/bench', 'dist/scripts', 'test', 'local', 'infra', 'shared']) {
            expect(existsSync(join(out, path))).toBe(false);
        }
    });

    it('when the Functions host loads package.json main from the package, then every function file loads with the runtime dependencies alone', () => {
        const script = `
const files = require('node:fs').readdirSync('dist/functions').filter((f) => f.endsWith('.js'));
for (const f of files) require('./dist/functions/' + f);
console.log(files.length);`;
        const result = spawnSync(process.execPath, ['-e', script], {
            cwd: out,
            encoding: 'utf8',
            env: { PATH: process.env.PATH, NODE_PATH: '' },
        });
        expect(result.stderr).not.toMatch(/Cannot find module/);
        expect(result.status).toBe(0);
        expect(Number(result.stdout.trim().split('\n').pop())).toBeGreaterThanOrEqual(17);
    });
});
