import { type ChildProcess, spawn } from 'node:child_process';

export interface AzuriteInstance {
    connectionString: string;
    ports: { blob: number; queue: number; table: number };
    stop(): Promise<void>;
}

const accountKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(ports: { blob: number; queue: number; table: number }): string {
    const base = 'http://127.0.0.1';
    return (
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${accountKey};` +
        `BlobEndpoint=${base}:${ports.blob}/devstoreaccount1;QueueEndpoint=${base}:${ports.queue}/devstoreaccount1;` +
        `TableEndpoint=${base}:${ports.table}/devstoreaccount1;`
    );
}

/** Starts Azurite (in memory, free loopback ports) as a child process, for one test file. */
export async function startAzurite(): Promise<AzuriteInstance> {
    const bin = require.resolve('azurite/dist/src/azurite.js');
    const args = [
        '--inMemoryPersistence',
        '--skipApiVersionCheck',
        '--loose',
        '--disableTelemetry',
        '--blobHost',
        '127.0.0.1',
        '--queueHost',
        '127.0.0.1',
        '--tableHost',
        '127.0.0.1',
        '--blobPort',
        '0',
        '--queuePort',
        '0',
        '--tablePort',
        '0',
    ];
    const child: ChildProcess = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ports = await new Promise<{ blob: number; queue: number; table: number }>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`Azurite did not start: ${out}`)), 20000);
        child.stdout?.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const found = new Map<string, number>();
            for (const m of out.matchAll(
                /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/g,
            )) {
                found.set(m[1]!.toLowerCase(), Number(m[2]));
            }
            if (found.size === 3) {
                clearTimeout(timer);
                resolve({ blob: found.get('blob')!, queue: found.get('queue')!, table: found.get('table')! });
            }
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`Azurite exited with ${code}: ${out}`));
        });
    });
    return {
        connectionString: azuriteConnectionString(ports),
        ports,
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once('exit', () => resolve());
                child.kill('SIGTERM');
            }),
    };
}
