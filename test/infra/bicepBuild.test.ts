import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { infraDir } from './bicepTemplates';

function onPath(command: string): boolean {
    return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'pipe' }).status === 0;
}

/** `bicep build` when the CLI is installed, else `az bicep build`; neither can be installed offline here. */
const compiler = onPath('bicep') ? ['bicep', 'build'] : onPath('az') ? ['az', 'bicep', 'build', '--file'] : undefined;

describe('Bicep compiler', () => {
    (compiler ? it : it.skip)(
        compiler
            ? `when ${compiler.join(' ')} compiles main.bicep, then it succeeds`
            : 'bicep build: skipped, no bicep or az CLI on PATH (syntax and rules are still checked above)',
        () => {
            const out = mkdtempSync(join(tmpdir(), 'bicep-'));
            try {
                const [cmd, ...args] = compiler!;
                const result = spawnSync(
                    cmd!,
                    [...args, join(infraDir, 'main.bicep'), '--outfile', join(out, 'main.json')],
                    { encoding: 'utf8', stdio: 'pipe', timeout: 120_000 },
                );
                expect(result.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
                expect(result.status).toBe(0);
            } finally {
                rmSync(out, { recursive: true, force: true });
            }
        },
    );
});
