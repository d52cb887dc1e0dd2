import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { waitFor } from '../support/host';
import { ROOT } from './support/pipelineHost';

const FIXTURE = join(ROOT, 'test/fixtures/leads/marketplace/https-camelcase-contact-me.json');

/** `npm start` without the build: `node dist/scripts/start.js` on free ports, in memory. */
function start(env: Record<string, string>, extra: string[] = []) {
    const args = ['--storage', 'memory', '--port', '0', '--storage-ports', 'free', '--sb-port', '0', ...extra];
    const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist/scripts/start.js'), ...args], {
        cwd: ROOT,
        env: { ...process.env, LOCAL_FUNCTION_KEY: 'quick-start-key', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const ready = waitFor(() => /LOCAL_HOST_READY (\{.*\})\n/u.exec(output)?.[1], 30_000, 'the host').then(
        (json) => JSON.parse(json) as { baseUrl: string },
    );
    return { child, ready, exited, output: () => output };
}

describe('npm start', () => {
    let running: ReturnType<typeof start> | undefined;
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
        expect(running.output()).toContain(
            `Intake, the marketplace's HTTPS endpoint: ${baseUrl}/api/marketplace/leads?code=quick-start-key`,
        );
        expect(lead.deliveries).toContainEqual(expect.objectContaining({ target: 'leadWebhook', status: 'delivered' }));
        await waitFor(() => running!.output().includes(`[inbox] lead ${leadId} delivered\n`), 5000, 'the inbox line');
        for (const personal of [/fabrikam/iu, /whitfield/iu]) expect(running.output()).not.toMatch(personal);
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
});
