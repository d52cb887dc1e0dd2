/**
 * Builds the folder `azd deploy` zips (`dist: dist/azure-package` in azure.yaml; under dist/, which git, lint and
 * Prettier already ignore): the compiled app, host.json, the pipeline configuration and the runtime dependencies
 * only (`npm ci --omit=dev` from the same lockfile). The developer's own node_modules, with its test, build and
 * local-host tooling, never reaches Azure.
 *
 * Usage (azure.yaml runs it as the api service's prepackage hook): `npm run build && node dist/scripts/stageDeployment.js`
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Compiled folders the Functions host loads (package.json `main` is dist/functions/*.js; they import dist/shared),
 * and the console's built page, which the consoleSite function serves.
 */
export const appFolders = ['dist/functions', 'dist/shared', 'dist/console'];
/** Files the host or the app reads at run time, next to package.json. */
export const appFiles = ['package.json', 'package-lock.json', 'host.json', 'config'];

/**
 * azd zips the staged folder through this ignore file (gitignore syntax; azure-dev pkg/project/project_utils.go
 * createDeployableZip). Source maps and type declarations are never loaded at run time.
 */
export const stagedFuncignore = ['*.map', '*.d.ts', '*.d.cts', '*.d.mts', '*.tsbuildinfo', ''].join('\n');

export interface StageOptions {
    /** The project folder (where package.json is). */
    root: string;
    /** The staging folder; emptied first. */
    out: string;
    /** `npm` executable (npm.cmd on Windows). */
    npm?: string;
}

export function stageDeployment({ root, out, npm = process.platform === 'win32' ? 'npm.cmd' : 'npm' }: StageOptions) {
    for (const folder of appFolders) {
        if (!existsSync(join(root, folder))) throw new Error(`${folder} is missing: run npm run build first`);
    }
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const path of [...appFolders, ...appFiles]) {
        cpSync(join(root, path), join(out, path), {
            recursive: true,
            filter: (source) => !source.endsWith('.map') && !source.endsWith('.tsbuildinfo'),
        });
    }
    writeFileSync(join(out, '.funcignore'), stagedFuncignore);
    // --ignore-scripts: no runtime dependency has an install script (none is native), and none may run here.
    const result = spawnSync(
        npm,
        ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
        { cwd: out, stdio: 'inherit', shell: process.platform === 'win32' },
    );
    if (result.status !== 0) throw new Error(`npm ci --omit=dev failed in ${out} (exit ${result.status})`);
}

if (require.main === module) {
    const root = resolve(__dirname, '..', '..');
    const out = join(root, 'dist', 'azure-package');
    stageDeployment({ root, out });
    console.log(`Staged the deployment package in ${out} (runtime dependencies only).`);
}
