/**
 * Embedded host overhead: start-up time, Azurite start (child process vs in-process), and HTTP requests/s for a
 * trivial anonymous function, with memory and disk storage. Loopback only; a fixed number of requests per case.
 * Run: `npm run bench -- localHttp` (or `node dist/bench/localHttp.bench.js` after a build).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { createConsoleLogger } from '../local/host/consoleLogger';
import { startAzuriteServers } from '../local/storage/azuriteServers';
import { startAzurite } from '../local/storage/startAzurite';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/local/cli.js');
const APP = join(ROOT, 'test/apps/basic');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);

interface Host {
    baseUrl: string;
    readyMs: number;
    stop(): Promise<void>;
}

async function startHost(storage: 'memory' | 'disk', dataDir: string): Promise<Host> {
    const started = performance.now();
    const args = [CLI, 'start', '--app', APP, '--port', '0', '--storage', storage, '--storage-ports', 'free'];
    const child = spawn(process.execPath, [...args, '--sb-port', '0', '--data-dir', dataDir, '--ready-line'], {
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const baseUrl = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const m = /LOCAL_HOST_READY (\{.*\})/.exec(out);
            if (m?.[1]) done((JSON.parse(m[1]) as { baseUrl: string }).baseUrl);
        });
        void exited.then(() => fail(new Error(`host exited before ready:\n${out}`)));
    });
    return {
        baseUrl,
        readyMs: performance.now() - started,
        stop: async () => {
            child.kill('SIGTERM');
            await exited;
        },
    };
}

function get(agent: Agent, url: URL): Promise<number> {
    return new Promise((done, fail) => {
        const req = request(url, { agent }, (res) => {
            res.resume();
            res.once('end', () => done(res.statusCode ?? 0));
        });
        req.once('error', fail);
        req.end();
    });
}

async function requestsPerSecond(baseUrl: string, concurrency: number): Promise<number> {
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const url = new URL('/api/hello/bench', baseUrl);
    for (let i = 0; i < 500; i++) await get(agent, url); // warm-up (JIT on both sides)
    let next = 0;
    const started = performance.now();
    await Promise.all(
        Array.from({ length: concurrency }, async () => {
            while (next < REQUESTS) {
                next++;
                const status = await get(agent, url);
                if (status !== 200) throw new Error(`status ${status}`);
            }
        }),
    );
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    return REQUESTS / seconds;
}

async function azuriteStartTimes(): Promise<void> {
    const logger = createConsoleLogger('error');
    for (const mode of ['memory', 'disk'] as const) {
        const dir = mkdtempSync(join(tmpdir(), 'bench-azurite-'));
        let t = performance.now();
        const child = await startAzurite({ mode, dataDir: dir, ports: 'free', logger });
        const childMs = performance.now() - t;
        await child.stop();
        t = performance.now();
        const inProcess = await startAzuriteServers(mode === 'disk' ? join(dir, 'inproc') : null, {
            blob: 0,
            queue: 0,
            table: 0,
        });
        const inProcessMs = performance.now() - t;
        await inProcess.close();
        rmSync(dir, { recursive: true, force: true });
        const note = mode === 'memory' ? 'incl. loading Azurite modules' : 'modules already loaded';
        console.log(
            `azurite start (${mode.padEnd(6)}): child process ${childMs.toFixed(0)} ms, in-process ${inProcessMs.toFixed(0)} ms (${note})`,
        );
    }
}

async function main(): Promise<void> {
    console.log(`${REQUESTS} GET /api/hello/{name} per case, keep-alive, loopback`);
    for (const storage of ['memory', 'disk'] as const) {
        const dataDir = mkdtempSync(join(tmpdir(), 'bench-host-'));
        const host = await startHost(storage, dataDir);
        try {
            const serial = await requestsPerSecond(host.baseUrl, 1);
            const parallel = await requestsPerSecond(host.baseUrl, 16);
            console.log(
                `storage ${storage.padEnd(6)} ready in ${host.readyMs.toFixed(0)} ms; ` +
                    `${serial.toFixed(0)} req/s (1 at a time), ${parallel.toFixed(0)} req/s (16 concurrent)`,
            );
        } finally {
            await host.stop();
            rmSync(dataDir, { recursive: true, force: true });
        }
    }
    await azuriteStartTimes();
}

main().then(
    () => process.exit(0),
    (err: unknown) => {
        console.error(err);
        process.exit(1);
    },
);
