/**
 * Durable Functions on the embedded host: orchestrations per second for a 3-activity chain, started through the
 * durable client HTTP API on a host child process (`node dist/local/cli.js start`), with memory and disk storage.
 * Figures depend on the machine; compare runs on one machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const APP = join(ROOT, 'test/apps/durable-basic');
const COUNT = 200;
const WARM_UP = 10;

interface Host {
    baseUrl: string;
    child: ChildProcess;
}

/** The durable API needs the durable extension's system key; the bench fixes it. */
const SYSTEM_KEY = 'bench-durable-key';

async function startHost(storage: 'memory' | 'disk', dataDir: string): Promise<Host> {
    const args = [join(ROOT, 'dist/local/cli.js'), 'start', '--app', APP, '--port', '0', '--storage', storage];
    args.push('--storage-ports', 'free', '--sb-port', '0', '--data-dir', dataDir, '--ready-line');
    const child = spawn(process.execPath, args, {
        cwd: ROOT,
        env: { ...process.env, DURABLE_HUB: 'BenchHub', LOCAL_DURABLE_SYSTEM_KEY: SYSTEM_KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise<Host>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`host not ready:\n${output}`)), 60_000);
        child.stdout?.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            const match = /LOCAL_HOST_READY (\{.*\})\n/.exec(output);
            if (!match?.[1]) return;
            clearTimeout(timer);
            output = '';
            done({ baseUrl: String((JSON.parse(match[1]) as { baseUrl: string }).baseUrl), child });
        });
        child.once('exit', (code) => fail(new Error(`host exited with ${code}:\n${output}`)));
    });
}

async function startChain(baseUrl: string, n: number): Promise<string> {
    const response = await fetch(`${baseUrl}/durabletask/orchestrators/chain`, {
        method: 'POST',
        headers: { 'x-functions-key': SYSTEM_KEY },
        body: JSON.stringify({ cities: [`a${n}`, `b${n}`, `c${n}`] }),
    });
    if (response.status !== 202) throw new Error(`start failed: ${response.status}`);
    return ((await response.json()) as { id: string }).id;
}

async function countCompleted(baseUrl: string, from: Date): Promise<number> {
    const query = `runtimeStatus=Completed,Failed&createdTimeFrom=${from.toISOString()}&top=100000`;
    const list = (await (
        await fetch(`${baseUrl}/durabletask/instances/?${query}`, { headers: { 'x-functions-key': SYSTEM_KEY } })
    ).json()) as Array<{
        runtimeStatus: string;
    }>;
    if (list.some((s) => s.runtimeStatus === 'Failed')) throw new Error('an orchestration failed');
    return list.length;
}

async function run(count: number, baseUrl: string): Promise<number> {
    const from = new Date(Date.now() - 1);
    const started = performance.now();
    for (let i = 0; i < count; i += 50) {
        await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => startChain(baseUrl, i + j)));
    }
    const deadline = Date.now() + 120_000;
    while ((await countCompleted(baseUrl, from)) < count) {
        if (Date.now() > deadline) throw new Error('orchestrations did not complete in time');
        await new Promise((r) => setTimeout(r, 100));
    }
    return (performance.now() - started) / 1000;
}

function rssMiB(pid: number | undefined): string {
    try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
        return (kb / 1024).toFixed(0);
    } catch {
        return 'n/a';
    }
}

async function main(): Promise<void> {
    for (const storage of ['memory', 'disk'] as const) {
        const dataDir = mkdtempSync(join(tmpdir(), 'durable-bench-'));
        const host = await startHost(storage, dataDir);
        try {
            await run(WARM_UP, host.baseUrl);
            const seconds = await run(COUNT, host.baseUrl);
            const rate = (COUNT / seconds).toFixed(1);
            console.log(
                `${storage.padEnd(6)} ${COUNT} chains of 3 activities: ${seconds.toFixed(2)} s, ${rate} orchestrations/s, host RSS ${rssMiB(host.child.pid)} MiB`,
            );
        } finally {
            host.child.kill('SIGTERM');
            await new Promise((r) => host.child.once('exit', r));
            rmSync(dataDir, { recursive: true, force: true });
        }
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
