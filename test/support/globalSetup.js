// Tests that run the embedded host spawn `node dist/local/cli.js` on the compiled app, exactly as `npm start` does,
// so the compiled output must match the sources. The build is incremental: a no-change run costs a few seconds.
// Type errors are reported by `npm run typecheck` (CI runs it first); here we only need the emitted JavaScript.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

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
};
