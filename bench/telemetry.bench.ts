/**
 * Start-up cost of telemetry: loads every compiled function file (`dist/functions/*.js`, the host's `main` glob) in a
 * fresh process, with telemetry off (empty connection string) and on (the Azure Monitor exporter pointed at a dead
 * loopback endpoint), several runs each. Also times loading the deferred exporter module (paid at the first export)
 * and `withSpan` on the hot path with the SDK off and on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const distRoot = join(__dirname, '..');
const functionsDir = join(distRoot, 'functions');
const setupModule = join(distRoot, 'shared/telemetry/setupTelemetry.js');
const withSpanModule = join(distRoot, 'shared/telemetry/withSpan.js');
const metricsModule = join(distRoot, 'shared/telemetry/pipelineMetrics.js');
const deadEndpoint = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/';

const functionFiles = existsSync(functionsDir)
    ? readdirSync(functionsDir)
          .filter((f) => f.endsWith('.js'))
          .sort()
    : [];

/** Child script: set telemetry up exactly as the app would at load, then require every function file. */
const loadScript = `
const t0 = process.hrtime.bigint();
const { setupTelemetry } = require(${JSON.stringify(setupModule)});
setupTelemetry({ connectionString: process.env.APPLICATIONINSIGHTS_CONNECTION_STRING });
const t1 = process.hrtime.bigint();
const failed = [];
for (const f of ${JSON.stringify(functionFiles)}) {
  try { require(${JSON.stringify(functionsDir)} + '/' + f); } catch (e) { failed.push(f + ': ' + (e && e.message)); }
}
const t2 = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ setupMs: Number(t1 - t0) / 1e6, totalMs: Number(t2 - t0) / 1e6, failed }));
process.exit(0);`;

/** Child script: what the deferred exporter costs when the first export loads it (after the SDK is loaded). */
const exporterLoadScript = `
const { setupTelemetry } = require(${JSON.stringify(setupModule)});
setupTelemetry({ connectionString: process.env.APPLICATIONINSIGHTS_CONNECTION_STRING });
const t0 = process.hrtime.bigint();
require(require.resolve('@azure/monitor-opentelemetry-exporter', { paths: [${JSON.stringify(distRoot)}] }));
process.stdout.write(JSON.stringify({ loadMs: Number(process.hrtime.bigint() - t0) / 1e6 }));
process.exit(0);`;

/** Child script: cost of one withSpan around an empty async function. */
const spanScript = `
const { setupTelemetry } = require(${JSON.stringify(setupModule)});
const telemetry = setupTelemetry({ connectionString: process.env.APPLICATIONINSIGHTS_CONNECTION_STRING });
const { withSpan } = require(${JSON.stringify(withSpanModule)});
const { pipelineMetrics } = require(${JSON.stringify(metricsModule)});
(async () => {
  const n = 20000;
  for (let i = 0; i < 2000; i++) await withSpan('warm', { leadKey: 'k' + i }, async () => undefined);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    await withSpan('deliverToTarget', { leadKey: 'k' + i, target: 'dynamics' }, async () => undefined);
    pipelineMetrics().deliveries.add(1, { target: 'dynamics', outcome: 'delivered' });
  }
  const perCallUs = Number(process.hrtime.bigint() - t0) / 1e3 / n;
  process.stdout.write(JSON.stringify({ enabled: telemetry.enabled, perCallUs }));
  process.exit(0);
})();`;

function runChild(script: string, connectionString: string): { wallMs: number; out: Record<string, unknown> } {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        stdio: 'pipe',
        env: {
            ...process.env,
            APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
            APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        },
        timeout: 60_000,
    });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`child failed (${result.status}): ${result.stderr}`);
    return { wallMs, out: JSON.parse(result.stdout) as Record<string, unknown> };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');

function main(): void {
    if (!existsSync(setupModule)) {
        console.log('dist/shared/telemetry is missing: run `npm run build` first.');
        process.exitCode = 1;
        return;
    }
    console.log(`function files measured (${functionFiles.length}): ${functionFiles.join(', ') || 'none yet'}`);
    for (const [label, cs] of [
        ['telemetry off (no connection string)', ''],
        ['telemetry on (Azure Monitor exporter, dead loopback endpoint)', deadEndpoint],
    ] as const) {
        const samples = Array.from({ length: runs }, () => runChild(loadScript, cs));
        const setup = samples.map((s) => s.out.setupMs as number);
        const total = samples.map((s) => s.out.totalMs as number);
        const wall = samples.map((s) => s.wallMs);
        console.log(`\n${label}, ${runs} fresh processes:`);
        console.log(`  telemetry setup ms        ${fmt(setup)}   (median ${median(setup).toFixed(0)})`);
        console.log(`  setup + all functions ms  ${fmt(total)}   (median ${median(total).toFixed(0)})`);
        console.log(`  process wall ms           ${fmt(wall)}   (median ${median(wall).toFixed(0)})`);
        const failed = samples[0]!.out.failed as string[];
        if (failed.length > 0) console.log(`  files that failed to load: ${failed.join('; ')}`);
    }
    const exporterLoad = Array.from(
        { length: runs },
        () => runChild(exporterLoadScript, deadEndpoint).out.loadMs as number,
    );
    console.log(
        `\nexporter module load at the first export, ms  ${fmt(exporterLoad)}   (median ${median(exporterLoad).toFixed(0)})`,
    );
    console.log('\nhot path: withSpan + one counter add per call, 20,000 calls');
    for (const [label, cs] of [
        ['off', ''],
        ['on ', deadEndpoint],
    ] as const) {
        const { out } = runChild(spanScript, cs);
        console.log(`  telemetry ${label}: ${(out.perCallUs as number).toFixed(2)} µs per call`);
    }
}

main();
