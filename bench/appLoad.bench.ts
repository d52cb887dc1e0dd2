/**
 * The app's load (cold start) and telemetry's share of it: every compiled function file (`dist/functions/*.js`, the
 * host's `main` glob) loaded in a fresh process, as the worker loads them (a functions-core module installed first, so
 * every registration is real), with telemetry off (empty connection string) and on (the Azure Monitor exporter
 * pointed at a dead loopback endpoint), several runs each, beside a bare app measured in the same run: one HTTP
 * function, one orchestration and one activity on `@azure/functions` + `durable-functions` alone. Then what the first
 * lead costs on top (the start-up check, and parse → decide of one lead, which loads the domain's data), the
 * deferred exporter module's load (paid at the first export) and `withSpan` on the hot path, SDK off and on.
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
const coreModule = join(distRoot, 'local/host/installFunctionsCore.js');
const startupModule = join(distRoot, 'shared/startupCheck.js');
const domainModule = join(distRoot, 'shared/domain/index.js');
const root = join(distRoot, '..');
const deadEndpoint = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/';

const functionFiles = existsSync(functionsDir)
    ? readdirSync(functionsDir)
          .filter((f) => f.endsWith('.js'))
          .sort()
    : [];

/** Child script: the worker's functions-core first (not timed: the real worker has it before the app loads). */
const installCore = `require(${JSON.stringify(coreModule)}).installFunctionsCore();`;

/** Child script: a bare app on the same two libraries, registering one function of each kind the app has. */
const bareScript = `${installCore}
const t0 = process.hrtime.bigint();
const { app } = require('@azure/functions');
const df = require('durable-functions');
app.http('hello', { methods: ['POST'], authLevel: 'function', handler: async () => ({ status: 202 }) });
df.app.orchestration('flow', function* (context) { return yield context.df.callActivity('step', 1); });
df.app.activity('step', { handler: async (n) => n });
process.stdout.write(JSON.stringify({ totalMs: Number(process.hrtime.bigint() - t0) / 1e6 }));
process.exit(0);`;

/** Child script: set telemetry up exactly as the app would at load, then require every function file. */
const loadScript = `${installCore}
const t0 = process.hrtime.bigint();
const { setupTelemetry } = require(${JSON.stringify(setupModule)});
setupTelemetry({ connectionString: process.env.APPLICATIONINSIGHTS_CONNECTION_STRING });
const t1 = process.hrtime.bigint();
const failed = [];
for (const f of ${JSON.stringify(functionFiles)}) {
  try { require(${JSON.stringify(functionsDir)} + '/' + f); } catch (e) { failed.push(f + ': ' + (e && e.message)); }
}
const t2 = process.hrtime.bigint();
let firstLeadMs;
if (process.env.BENCH_FIRST_LEAD === '1') {
  // What the first lead adds: the start-up check (settings, rules, targets) and parse → decide of one lead.
  require(${JSON.stringify(startupModule)}).checkConfiguration();
  const d = require(${JSON.stringify(domainModule)});
  const config = d.parsePipelineConfig(JSON.parse(require('fs').readFileSync(${JSON.stringify(join(root, 'config/pipeline.json'))}, 'utf8')));
  const lead = d.parseMarketplaceCallback(JSON.stringify({ userDetails: { email: 'a@contoso.com', phone: '+1 206 266 1000', country: 'USA', title: 'CTO', company: 'Contoso' }, leadSource: 'SPZA-INS|contoso.x', actionCode: 'INS', offerTitle: 'X' }), { receivedAt: '2026-11-21T06:00:00.000Z' });
  d.decide(lead, config, '2026-11-21T06:00:00.000Z');
  firstLeadMs = Number(process.hrtime.bigint() - t2) / 1e6;
}
process.stdout.write(JSON.stringify({ setupMs: Number(t1 - t0) / 1e6, totalMs: Number(t2 - t0) / 1e6, firstLeadMs, failed }));
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

function runChild(
    script: string,
    connectionString: string,
    env: Record<string, string> = {},
): { wallMs: number; out: Record<string, unknown> } {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        stdio: 'pipe',
        cwd: root,
        env: {
            ...process.env,
            APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
            APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
            ...env,
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
    // Interleaved, so the machine's load drifts over both alike.
    const bare: number[] = [];
    const app: number[] = [];
    const firstLead: number[] = [];
    for (let i = 0; i < runs; i++) {
        bare.push(runChild(bareScript, '').out.totalMs as number);
        const run = runChild(loadScript, '', { BENCH_FIRST_LEAD: '1' }).out;
        app.push(run.totalMs as number);
        firstLead.push(run.firstLeadMs as number);
    }
    console.log(`\napp load, telemetry off, ${runs} fresh processes each, interleaved (target: at most 300 ms):`);
    console.log(
        `  bare @azure/functions + durable-functions app ms  ${fmt(bare)}   (median ${median(bare).toFixed(0)})`,
    );
    console.log(
        `  this app: telemetry + every function file ms       ${fmt(app)}   (median ${median(app).toFixed(0)})`,
    );
    console.log(`  this app over the bare one                         ${(median(app) - median(bare)).toFixed(0)} ms`);
    console.log(
        `  the first lead on top (start-up check, parse → decide) ms  ${fmt(firstLead)}   (median ${median(firstLead).toFixed(0)})`,
    );
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
