/**
 * `npm start`: the pipeline on the embedded host (`node dist/local/cli.js start`, every argument passed on), plus a
 * local inbox for the signed-webhook target when no `LEAD_WEBHOOK_URL` is configured. With the sample settings no
 * target has credentials, so without the inbox every lead would end `not-routed`; with it, routed leads are
 * delivered, signed, to a receiver on loopback that prints each lead id it gets. `--no-inbox` leaves it out;
 * `--inbox-port N` moves it (default 7072, 0 = a free port).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { type LocalInbox, startLocalInbox } from './localInbox';

const DEFAULT_INBOX_PORT = 7072;

interface StartArgs {
    hostArgs: string[];
    inbox: boolean;
    inboxPort: number;
    appDir: string;
}

function parseArgs(argv: string[]): StartArgs {
    const hostArgs: string[] = [];
    let inbox = true;
    let inboxPort = DEFAULT_INBOX_PORT;
    let appDir = process.cwd();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (arg === '--no-inbox') inbox = false;
        else if (arg === '--inbox-port') {
            inboxPort = Number(argv[++i]);
            if (!Number.isInteger(inboxPort) || inboxPort < 0 || inboxPort > 65535) {
                throw new Error('--inbox-port needs a port number (0 = a free port)');
            }
        } else {
            if (arg === '--app' && argv[i + 1] !== undefined) appDir = resolve(argv[i + 1]!);
            hostArgs.push(arg);
        }
    }
    return { hostArgs, inbox, inboxPort, appDir };
}

/** The webhook URL the host will see: the environment wins over the app's settings file, as in the host. */
function configuredWebhookUrl(appDir: string): string {
    if (process.env.LEAD_WEBHOOK_URL !== undefined) return process.env.LEAD_WEBHOOK_URL;
    const file = ['local.settings.json', 'local.settings.sample.json'].map((f) => join(appDir, f)).find(existsSync);
    if (file === undefined) return '';
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> }).Values ?? {};
    return typeof values.LEAD_WEBHOOK_URL === 'string' ? values.LEAD_WEBHOOK_URL : '';
}

async function openInbox(secret: string, port: number): Promise<LocalInbox> {
    const onDelivery = ({ leadId, count }: { leadId: string; count: number }) =>
        console.log(`[inbox] lead ${leadId} delivered${count > 1 ? ` (${count} times)` : ''}`);
    try {
        return await startLocalInbox(secret, { port, onDelivery });
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
        return startLocalInbox(secret, { port: 0, onDelivery });
    }
}

function printUrls({ baseUrl, functionKey }: { baseUrl?: string; functionKey?: string }): void {
    const key = `code=${functionKey ?? ''}`;
    console.log(`\nIntake, the marketplace's HTTPS endpoint: ${baseUrl}/api/marketplace/leads?${key}`);
    console.log(`Leads (operations API):                  ${baseUrl}/api/leads?${key}\n`);
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const env: NodeJS.ProcessEnv = { ...process.env };
    let inbox: LocalInbox | undefined;
    if (args.inbox && configuredWebhookUrl(args.appDir).trim() === '') {
        const secret = randomBytes(32).toString('hex');
        inbox = await openInbox(secret, args.inboxPort);
        env.LEAD_WEBHOOK_URL = inbox.url;
        env.LEAD_WEBHOOK_SECRET = secret;
        console.log(`Local inbox for the signed webhook target: ${inbox.url} (no LEAD_WEBHOOK_URL is configured)`);
    }
    const host = spawn(process.execPath, [join(__dirname, '../local/cli.js'), 'start', ...args.hostArgs], {
        env,
        stdio: ['inherit', 'pipe', 'inherit'],
    });
    // Passed through as it comes; once the host is ready, the URLs a publisher needs, with the key.
    let seen: string | undefined = '';
    host.stdout.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        if (seen === undefined) return;
        seen += chunk.toString();
        const ready = /LOCAL_HOST_READY (\{.*\})\n/u.exec(seen)?.[1];
        if (ready === undefined) return;
        seen = undefined;
        printUrls(JSON.parse(ready) as { baseUrl?: string; functionKey?: string });
    });
    // Ctrl-C reaches the host too (same process group); it stops in order and this process follows it.
    process.on('SIGINT', () => undefined);
    process.on('SIGTERM', () => host.kill('SIGTERM'));
    host.once('exit', (code, signal) => {
        void (inbox?.stop() ?? Promise.resolve()).then(() => process.exit(code ?? (signal === null ? 0 : 1)));
    });
}

main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
});
