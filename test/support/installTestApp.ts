import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Installs a test app's own locked dependencies (`npm ci` from the npm registry, as on a clean clone in CI) when its
 * node_modules is missing or came from another lockfile. For apps that must run other versions of a library than
 * the project's, e.g. the oldest `@azure/functions` and `durable-functions` the host supports.
 */
export function installTestApp(appDir: string): void {
    const stamp = join(appDir, 'node_modules', '.installed-lockfile-sha256');
    const wanted = createHash('sha256')
        .update(readFileSync(join(appDir, 'package-lock.json')))
        .digest('hex');
    if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) return;
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: appDir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm ci in ${appDir} failed:\n${result.stdout}\n${result.stderr}`);
    writeFileSync(stamp, `${wanted}\n`);
}
