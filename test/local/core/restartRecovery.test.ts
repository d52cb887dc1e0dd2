import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { isProcessAlive } from '../../../local/storage/isProcessAlive';
import { hostCliPath, startHost, waitFor } from '../../support/host';
import { removeHostData } from '../../support/removeHostData';

const appDir = join(__dirname, '../../apps/basic');
const ROOT = resolve(__dirname, '../../..');

function run(args: string[]): Promise<{ code: number | null; output: string }> {
    return new Promise((done) => {
        const child = spawn(process.execPath, [hostCliPath(), 'start', '--app', appDir, ...args], {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        child.once('close', (code) => done({ code, output }));
    });
}

async function listen(server: Server): Promise<number> {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    return (server.address() as AddressInfo).port;
}

describe('a start after a host that did not stop', () => {
    test('when the HTTP port is held then the start fails at once and says by which process, and what to run', async () => {
        const holder = createServer();
        const port = await listen(holder);
        try {
            const { code, output } = await run([
                '--port',
                String(port),
                '--storage',
                'memory',
                '--storage-ports',
                'free',
                '--sb-port',
                '0',
            ]);
            expect(code).toBe(1);
            expect(output).toContain(`port ${port} is held by another program: process ${process.pid}`);
            expect(output).toContain(`kill ${process.pid}`);
            expect(output).toContain('--port N');
            expect(output).not.toMatch(/\n\s+at /u); // no stack trace
        } finally {
            holder.close();
        }
    });

    test('when a stale Azurite pid file names a live process that is not Azurite then the host starts without waiting', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'stale-pid-'));
        mkdirSync(join(dataDir, 'azurite'), { recursive: true });
        writeFileSync(join(dataDir, 'azurite', 'azurite.pid'), String(process.pid));
        const started = Date.now();
        const host = await startHost({ appDir, storage: 'disk', dataDir, readyTimeoutMs: 12_000 });
        try {
            expect(Date.now() - started).toBeLessThan(10_000);
        } finally {
            await host.stop();
            await removeHostData(dataDir);
        }
    });

    test('when the process that started the host is killed then the host (--exit-with-parent) and its Azurite stop, and the port is free again', async () => {
        const holder = createServer();
        const port = await listen(holder);
        await new Promise<void>((ok) => holder.close(() => ok()));
        // A wrapper like npm start: it runs the CLI and is then killed outright.
        const script = `
            const { spawn } = require('node:child_process');
            const host = spawn(process.execPath, ${JSON.stringify([hostCliPath(), 'start', '--app', appDir, '--port', String(port), '--storage', 'memory', '--storage-ports', 'free', '--sb-port', '0', '--ready-line', '--exit-with-parent'])}, { stdio: ['ignore', 'pipe', 'inherit'] });
            host.stdout.on('data', (c) => { const m = /LOCAL_HOST_READY/.test(String(c)); if (m) console.log('HOST_PID ' + host.pid); });
            setInterval(() => {}, 1000);
        `;
        const wrapper = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        wrapper.stdout.on('data', (c: Buffer) => (out += c.toString()));
        const hostPid = Number(await waitFor(() => /HOST_PID (\d+)/u.exec(out)?.[1], 30_000, 'the host'));
        wrapper.kill('SIGKILL');
        await waitFor(() => !isProcessAlive(hostPid), 10_000, 'the orphaned host to stop');
        const again = createServer();
        expect(
            await new Promise<number>((ok, fail) =>
                again.once('error', fail).listen(port, '127.0.0.1', () => ok(port)),
            ),
        ).toBe(port);
        again.close();
    }, 60_000);
});
