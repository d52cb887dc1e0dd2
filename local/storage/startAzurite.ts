import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { HostLogger } from '../contracts';
import { commandOf, describePortOwner, portOwner } from '../host/portOwner';
import { isProcessAlive } from './isProcessAlive';
import { STANDARD_STORAGE_PORTS, storageConnectionString, type StoragePorts } from './storageConnectionString';

export interface AzuriteOptions {
    mode: 'disk' | 'memory';
    /** Where disk-mode data goes (`<dataDir>/azurite`). */
    dataDir: string;
    ports: 'standard' | 'free';
    logger: HostLogger;
}

export interface RunningAzurite {
    ports: StoragePorts;
    connectionString: string;
    stop(): Promise<void>;
}

/** Alive and, where the system says (Linux), still our Azurite child: a pid file can outlive its process. */
function isOurAzurite(pid: number): boolean {
    if (!isProcessAlive(pid)) return false;
    const command = commandOf(pid);
    return command === '' || command.includes('azuriteChild');
}

/**
 * A host that was killed leaves its Azurite saving and exiting; wait for it before opening the same files. A pid
 * file whose process is gone (or is now another program) is stale and is removed.
 */
async function waitForPreviousOwner(location: string, logger: HostLogger): Promise<void> {
    const pidFile = join(location, 'azurite.pid');
    const deadline = Date.now() + 15_000;
    while (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        if (!Number.isInteger(pid) || pid <= 0 || !isOurAzurite(pid)) {
            rmSync(pidFile, { force: true });
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(
                `Azurite process ${pid} (left by a host that did not stop) still holds ${location}; stop it with: kill ${pid}`,
            );
        }
        logger.debug('waiting for the previous Azurite to release its data', { pid });
        await sleep(100);
    }
}

/** Starts Azurite (Blob, Queue, Table) in a child process; see `azuriteChild.ts` for why a child. */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
    const location = options.mode === 'disk' ? join(options.dataDir, 'azurite') : null;
    if (location) await waitForPreviousOwner(location, options.logger);
    const ports = options.ports === 'standard' ? STANDARD_STORAGE_PORTS : { blob: 0, queue: 0, table: 0 };
    // detached: its own process group, so a terminal's Ctrl-C reaches only the host, which then stops it in order.
    const child = spawn(process.execPath, [join(__dirname, 'azuriteChild.js'), JSON.stringify({ location, ports })], {
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-8192);
    });
    const actual = await new Promise<StoragePorts>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`Azurite did not start within 30 s: ${stderr}`));
        }, 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const match = /AZURITE_READY (\{.*\})/.exec(out);
            if (match?.[1]) {
                clearTimeout(timer);
                resolve(JSON.parse(match[1]) as StoragePorts);
            }
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            const { blob, queue, table } = STANDARD_STORAGE_PORTS;
            const held = [blob, queue, table]
                .filter((port) => portOwner(port) !== undefined)
                .map((port) => describePortOwner(port));
            const hint =
                options.ports === 'standard'
                    ? ` (Azurite needs ports 10000-10002${held.length ? `; ${held.join('; ')}` : ''}; or start with --storage-ports free)`
                    : '';
            reject(new Error(`Azurite exited with code ${code}${hint}: ${stderr.trim()}`));
        });
    });
    return {
        ports: actual,
        connectionString: storageConnectionString(actual),
        stop: async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
            child.stdin.end();
            const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
            if (timedOut) {
                child.kill('SIGKILL');
                await exited;
            }
        },
    };
}
