/**
 * Starts the embedded host on an app folder as a child process (`node dist/local/cli.js start ...`, exactly what
 * `npm start` runs) on free ports, and waits for its `LOCAL_HOST_READY` line. Always `stop()` (or `kill()`) it in
 * `afterAll`. No 'ipc' channel: it would keep jest waiting.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface StartHostOptions {
    appDir: string;
    /** Extra environment for the host (wins over the app's local.settings, like real environment variables). */
    env?: Record<string, string>;
    storage?: 'memory' | 'disk';
    /** Disk-mode data folder (default `<appDir>/.local`); give each test its own temp folder. */
    dataDir?: string;
    /** 0 (default) picks a free port. */
    port?: number;
    /** How long to wait for the ready line (default 30 s). */
    readyTimeoutMs?: number;
}

export interface StartedHost {
    baseUrl: string;
    functionKey: string;
    storageConnectionString: string;
    serviceBusConnectionString: string;
    /** Everything the ready line carried (extensions add their own facts). */
    ready: Record<string, unknown>;
    /** Everything the host wrote so far, stdout and stderr interleaved. */
    logs(): string;
    /** SIGTERM, then waits for the exit; resolves with the exit code. */
    stop(): Promise<number | null>;
    /** Sends `signal` (e.g. SIGKILL to simulate a crash) and waits for the exit. */
    kill(signal: NodeJS.Signals): Promise<number | null>;
    process: ChildProcess;
}

/**
 * `dist/local/cli.js` of the project holding `fromDir`: the nearest folder up with a package.json is the project root,
 * so this works from `test/support` (ts-jest) and from `dist/test/support` (compiled, e.g. for a benchmark).
 */
export function hostCliPath(fromDir: string = __dirname): string {
    let dir = resolve(fromDir);
    while (!existsSync(join(dir, 'package.json'))) {
        const parent = dirname(dir);
        if (parent === dir) throw new Error(`No package.json above ${fromDir}`);
        dir = parent;
    }
    return join(dir, 'dist/local/cli.js');
}

const CLI = hostCliPath();
const ROOT = resolve(CLI, '../../..');

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export async function startHost(options: StartHostOptions): Promise<StartedHost> {
    const args = [CLI, 'start', '--app', resolve(options.appDir), '--port', String(options.port ?? 0)];
    args.push('--storage', options.storage ?? 'memory', '--storage-ports', 'free', '--sb-port', '0', '--ready-line');
    if (options.dataDir) args.push('--data-dir', options.dataDir);
    const child = spawn(process.execPath, args, {
        cwd: ROOT,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

    const ready = await new Promise<Record<string, unknown>>((resolveReady, reject) => {
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`Host not ready within ${options.readyTimeoutMs ?? 30000} ms:\n${output}`));
        }, options.readyTimeoutMs ?? 30_000);
        const onData = (): void => {
            const match = /LOCAL_HOST_READY (\{.*\})\n/.exec(output);
            if (!match?.[1]) return;
            clearTimeout(timer);
            child.stdout.off('data', onData);
            resolveReady(JSON.parse(match[1]) as Record<string, unknown>);
        };
        child.stdout.on('data', onData);
        void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`Host exited with ${code} before it was ready:\n${output}`));
        });
    });

    const kill = async (signal: NodeJS.Signals): Promise<number | null> => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return exited;
    };
    return {
        baseUrl: text(ready.baseUrl),
        functionKey: text(ready.functionKey),
        storageConnectionString: text(ready.storageConnectionString),
        serviceBusConnectionString: text(ready.serviceBusConnectionString),
        ready,
        logs: () => output,
        stop: () => kill('SIGTERM'),
        kill,
        process: child,
    };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
    check: () => Promise<T | undefined | false> | T | undefined | false,
    timeoutMs = 15_000,
    what = 'condition',
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
