// Runs before `npm start`, `npm test`, `npm run demo` and `npm run bench` so that one command works on a fresh
// clone: installs exactly the locked dependencies when node_modules is missing or was installed from another
// lockfile. It uses only Node built-ins because it runs before anything is installed.
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const lockfile = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.installed-lockfile-sha256');

const wanted = createHash('sha256').update(readFileSync(lockfile)).digest('hex');
const installed = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';

if (installed !== wanted) {
    console.log('Installing the locked dependencies (npm ci)…');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
        console.error(`npm ci failed (exit ${result.status ?? result.signal}).`);
        process.exit(1);
    }
    writeFileSync(stamp, `${wanted}\n`);
}
