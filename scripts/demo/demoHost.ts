import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface DemoHost {
    baseUrl: string;
    functionKey: string;
    storageConnectionString: string;
    logs(): string;
    stop(): Promise<void>;
}

/**
 * Starts `node dist/local/cli.js start` on the app (free ports; memory storage by default) and waits until ready.
 * `app` runs another app folder (a baseline build, say) on this root's host.
 */
export async function startDemoHost(
    root: string,
    env: Record<string, string>,
    options: { storage?: 'memory' | 'disk'; dataDir?: string; app?: string } = {},
): Promise<DemoHost> {
    const app = options.app ?? root;
    const args = [join(root, 'dist/local/cli.js'), 'start', '--app', app, '--port', '0'];
    args.push('--storage', options.storage ?? 'memory', '--storage-ports', 'free', '--sb-port', '0', '--ready-line');
    if (options.dataDir !== undefined) args.push('--data-dir', options.dataDir);
    const child: ChildProcess = spawn(process.execPath, args, {
        cwd: app,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const ready = await new Promise<Record<string, string>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`host not ready:\n${output}`)), 60_000);
        const check = () => {
            const m = /LOCAL_HOST_READY (\{.*\})\n/u.exec(output);
            if (m?.[1] === undefined) return;
            clearTimeout(timer);
            child.stdout?.off('data', check);
            resolve(JSON.parse(m[1]) as Record<string, string>);
        };
        child.stdout?.on('data', check);
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`host exited with ${code}:\n${output}`));
        });
    });
    return {
        baseUrl: ready.baseUrl ?? '',
        functionKey: ready.functionKey ?? '',
        storageConnectionString: ready.storageConnectionString ?? '',
        logs: () => output,
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once('exit', () => resolve());
                child.kill('SIGTERM');
            }),
    };
}
