// Tests that run the embedded host spawn `node dist/local/cli.js` on the compiled app, exactly as `npm start` does,
// so the compiled output must match the sources. The build is incremental: a no-change run costs a few seconds.
// Type errors are reported by `npm run typecheck` (CI runs it first); here we only need the emitted JavaScript.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir) {
    if (!existsSync(dir)) return 0;
    let latest = 0;
    for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        const stat = statSync(full);
        latest = Math.max(latest, stat.isDirectory() ? newest(full) : stat.mtimeMs);
    }
    return latest;
}

module.exports = async function globalSetup() {
    if (process.env.SKIP_BUILD === '1') return;
    const root = path.resolve(__dirname, '../..');
    const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental'], {
        cwd: root,
        encoding: 'utf8',
    });
    if (result.status !== 0 && !/error TS/.test(result.stdout)) {
        throw new Error(`Build before tests failed:\n${result.stdout}\n${result.stderr}`);
    }
    // The console's page (served by the host the browser tests start) is built by Vite, only when its sources changed.
    const built = path.join(root, 'dist', 'console', 'index.html');
    if (!existsSync(built) || newest(path.join(root, 'console')) > statSync(built).mtimeMs) {
        const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
        const console = spawnSync(process.execPath, [vite, 'build', '--config', 'console/vite.config.mjs'], {
            cwd: root,
            encoding: 'utf8',
        });
        if (console.status !== 0) throw new Error(`Console build failed:\n${console.stdout}\n${console.stderr}`);
    }
};
