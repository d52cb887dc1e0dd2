import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { isProcessAlive } from '../../local/storage/isProcessAlive';
import { waitFor } from '../support/host';
import { ROOT } from './support/pipelineHost';

const FIXTURE = join(ROOT, 'test/fixtures/leads/marketplace/https-camelcase-contact-me.json');
const FREE_PORTS = ['--storage', 'memory', '--port', '0', '--storage-ports', 'free', '--sb-port', '0'];
const INTAKE =
    /Intake, the marketplace's HTTPS endpoint: (http:\/\/127\.0\.0\.1:\d+)\/api\/marketplace\/leads\?code=(\S+)/u;

interface Started {
    child: ChildProcess;
    ready: Promise<{ baseUrl: string; key: string }>;
    exited: Promise<number | null>;
    output(): string;
}

function watch(child: ChildProcess): Started {
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const ready = waitFor(() => INTAKE.exec(output) ?? undefined, 60_000, 'the intake URL').then((m) => ({
        baseUrl: m[1]!,
        key: decodeURIComponent(m[2]!),
    }));
    return { child, ready, exited, output: () => output };
}

/** `npm start` without the build: `node dist/scripts/start.js` on free ports, in memory. */
function start(env: Record<string, string>, extra: string[] = []): Started {
    const child = spawn(process.execPath, [join(ROOT, 'dist/scripts/start.js'), ...FREE_PORTS, ...extra], {
        cwd: ROOT,
        env: { ...process.env, LOCAL_FUNCTION_KEY: 'quick-start-key', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    return watch(child);
}

/** Every process below `pid` (Linux /proc), so a test can check that nothing npm start started is left. */
function descendants(pid: number): number[] {
    const parents = new Map<number, number[]>();
    for (const entry of readdirSync('/proc').filter((name) => /^\d+$/u.test(name))) {
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
        } catch {
            // gone meanwhile
        }
    }
    const found: number[] = [];
    const walk = (p: number): void => {
        for (const child of parents.get(p) ?? []) {
            found.push(child);
            walk(child);
        }
    };
    walk(pid);
    return found;
}

/** The bash blocks of the README's quick start that talk to the running pipeline. */
function readmeCommands(): string {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## How it works'));
    const blocks = [...quickStart.matchAll(/```bash\n([\s\S]*?)```/gu)].map((m) => m[1]!);
    // The blocks that call the running pipeline (not the one that starts it or runs the tests).
    return blocks.filter((block) => block.includes('curl ') && !/^npm /mu.test(block)).join('\n');
}

describe('npm start', () => {
    let running: Started | undefined;
    afterEach(async () => {
        running?.child.kill('SIGTERM');
        await running?.exited;
        running = undefined;
    });

    it('when no webhook is configured then a local inbox receives the routed leads, signed, and the lead is delivered', async () => {
        running = start({ LEAD_WEBHOOK_URL: '', LEAD_WEBHOOK_SECRET: '' }, ['--inbox-port', '0']);
        const { baseUrl } = await running.ready;

        const posted = await fetch(`${baseUrl}/api/marketplace/leads?code=quick-start-key`, {
            method: 'POST',
            body: readFileSync(FIXTURE),
        });
        const { leadId } = (await posted.json()) as { leadId: string };
        const lead = await waitFor(async () => {
            const res = await fetch(`${baseUrl}/api/leads/${leadId}?code=quick-start-key`);
            const body = (await res.json()) as { status: string; deliveries: { target: string; status: string }[] };
            return body.status === 'delivered' ? body : undefined;
        }, 20_000);

        expect(running.output()).toMatch(
            /Local inbox for the signed webhook target: http:\/\/127\.0\.0\.1:\d+\/leads/u,
        );
        expect(lead.deliveries).toContainEqual(expect.objectContaining({ target: 'leadWebhook', status: 'delivered' }));
        await waitFor(() => running!.output().includes(`[inbox] lead ${leadId} delivered\n`), 5000, 'the inbox line');
        for (const personal of [/fabrikam/iu, /whitfield/iu]) expect(running.output()).not.toMatch(personal);
    }, 60_000);

    it('when ready then the console shows what a person needs (URLs, Ctrl-C, a first command) and no connection string or account key', async () => {
        running = start({ LEAD_WEBHOOK_URL: '' }, ['--inbox-port', '0']);
        const { baseUrl } = await running.ready;
        await waitFor(() => running!.output().includes('--data-binary'), 5000, 'the first command');
        const output = running.output();
        expect(output).toContain(`Host listening on ${baseUrl} (storage: memory). Press Ctrl-C to stop.`);
        expect(output).toContain(`Leads (operations API):                  ${baseUrl}/api/leads?code=quick-start-key`);
        expect(output).toContain(`Lead console (open in a browser):        ${baseUrl}/console/#key=quick-start-key`);
        expect(output).toContain(
            `curl -X POST "${baseUrl}/api/marketplace/leads?code=quick-start-key" --data-binary @test/fixtures/leads/marketplace/https-camelcase-contact-me.json`,
        );
        expect(output).not.toMatch(/LOCAL_HOST_READY|AccountKey=|SharedAccessKey=|durableSystemKey/u);
    }, 60_000);

    it('when the README quick-start commands are pasted then they work: the lead they post is found (no hard-coded lead id)', async () => {
        const commands = readmeCommands();
        expect(commands).toContain('LEAD_ID=$(');
        expect(commands).not.toMatch(/lk-[0-9a-f]{40}/u);
        running = start({ LEAD_WEBHOOK_URL: '', LOCAL_FUNCTION_KEY: 'local-dev-key' }, ['--inbox-port', '0']);
        const { baseUrl } = await running.ready;
        // Only the port differs: the test host runs on a free one.
        const script = commands.replaceAll('http://127.0.0.1:7071', baseUrl);
        const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: ROOT, encoding: 'utf8' });
        expect(result.status).toBe(0);
        const [leadIdLine, ...rest] = result.stdout.trim().split('\n');
        expect(leadIdLine).toMatch(/^lk-[0-9a-f]{40}$/u);
        const lead = JSON.parse(rest.join('\n')) as { leadId: string; status: string };
        expect(lead.leadId).toBe(leadIdLine);
        expect(lead.status).toBe('delivered');
    }, 60_000);

    it('when the inbox port is taken then the inbox takes the next free one after it', async () => {
        const holder = createServer();
        await new Promise<void>((ok) => holder.listen(0, '127.0.0.1', ok));
        const taken = (holder.address() as AddressInfo).port;
        try {
            running = start({ LEAD_WEBHOOK_URL: '' }, ['--inbox-port', String(taken)]);
            await running.ready;
            const inboxPort = Number(
                /Local inbox for the signed webhook target: http:\/\/127\.0\.0\.1:(\d+)/u.exec(running.output())?.[1],
            );
            expect(inboxPort).toBeGreaterThan(taken);
            expect(inboxPort).toBeLessThanOrEqual(taken + 10);
        } finally {
            holder.close();
        }
    }, 60_000);

    it('when stopped with SIGTERM then the host stops in order and the command exits 0', async () => {
        running = start({ LEAD_WEBHOOK_URL: '' }, ['--inbox-port', '0']);
        await running.ready;

        running.child.kill('SIGTERM');

        expect(await running.exited).toBe(0);
        expect(running.output()).toMatch(/SIGTERM: stopping the host/u);
    }, 60_000);

    it('when a webhook URL is configured, or --no-inbox is given, then no inbox is started', async () => {
        running = start({ LEAD_WEBHOOK_URL: 'http://127.0.0.1:9/leads', LEAD_WEBHOOK_SECRET: 'x'.repeat(32) });
        await running.ready;
        const configured = running.output();
        running.child.kill('SIGTERM');
        await running.exited;
        running = start({ LEAD_WEBHOOK_URL: '' }, ['--no-inbox']);
        await running.ready;

        expect(configured).not.toMatch(/Local inbox/u);
        expect(running.output()).not.toMatch(/Local inbox/u);
    }, 60_000);

    it.each(['SIGINT', 'SIGTERM'] as const)(
        'when the npm process gets %s then everything npm start started stops within seconds',
        async (signal) => {
            // The package.json start script minus its build step (the tests run on the built dist/), run by npm.
            const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
            expect(pkg.scripts.start).toMatch(/^npm run build && exec node dist\/scripts\/start\.js /u);
            const script = pkg.scripts.start
                .replace('npm run build && ', '')
                .replace('dist/scripts/start.js', join(ROOT, 'dist/scripts/start.js'));
            const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
            writeFileSync(
                join(dir, 'package.json'),
                JSON.stringify({ name: 'npm-start-signals', private: true, scripts: { start: script } }),
            );
            const npm = spawn('npm', ['start', '--', '--app', ROOT, ...FREE_PORTS, '--inbox-port', '0'], {
                cwd: dir,
                env: { ...process.env, LEAD_WEBHOOK_URL: '' },
                stdio: ['ignore', 'pipe', 'pipe'],
            });
            running = watch(npm);
            await running.ready;
            const started = descendants(npm.pid!);
            expect(started.length).toBeGreaterThanOrEqual(3); // start.js, the host, its Azurite

            const sent = Date.now();
            npm.kill(signal);
            await waitFor(() => [npm.pid!, ...started].every((pid) => !isProcessAlive(pid)), 10_000, 'every process');
            expect(Date.now() - sent).toBeLessThan(10_000);
            expect(running.output()).toMatch(/: stopping the host/u);
        },
        90_000,
    );
});

describe('npm install', () => {
    it('when the locked dependencies are installed then npm reports no install script left unreviewed (a clean first install)', () => {
        // tldjs (a no-op postinstall unless asked to fetch rules) and tree-sitter, tree-sitter-bicep (prebuilt binaries
        // for every platform ship in the packages) are denied in package.json allowScripts.
        const result = spawnSync('npm', ['install-scripts', 'ls'], { cwd: ROOT, encoding: 'utf8' });
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('No packages with unreviewed install scripts.');
    });
});

describe('npm start on Windows', () => {
    // cmd.exe has no `exec`: npm puts node_modules/.bin on PATH, where the windows-exec bin stands in for it.
    const shim = join(ROOT, 'node_modules/.bin/exec');

    it('when a shell has no exec builtin then the installed exec bin runs the rest of the line and keeps its exit code', () => {
        const result = spawnSync(shim, [process.execPath, '-e', 'console.log("ran"); process.exit(3)'], {
            encoding: 'utf8',
        });
        expect(result.stdout).toBe('ran\n');
        expect(result.status).toBe(3);
    });

    it('when the exec bin is signalled then the command gets the signal and the bin ends with it', async () => {
        const child = spawn(
            shim,
            [
                process.execPath,
                '-e',
                'process.on("SIGTERM", () => { console.log("stopping"); process.exit(0); }); console.log("up"); setInterval(() => {}, 1000)',
            ],
            { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        await waitFor(() => (out.includes('up') ? true : undefined), 10_000, 'the command');
        child.kill('SIGTERM');
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
        expect(out).toContain('stopping');
        expect(code).toBe(0);
    });
});
