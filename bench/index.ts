/**
 * `npm run bench`: runs every `bench/*.bench.js` (compiled) in its own process, one after another, so one
 * benchmark's heap and timers never disturb the next. Each benchmark prints its own figures.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();

let failed = 0;
for (const file of files) {
    console.log(`\n=== ${file.replace(/\.bench\.js$/, '')} ===`);
    const result = spawnSync(process.execPath, ['--expose-gc', join(__dirname, file)], { stdio: 'inherit' });
    if (result.status !== 0) {
        failed++;
        console.log(`(${file} exited with ${result.status ?? result.signal})`);
    }
}
process.exitCode = failed === 0 ? 0 : 1;
