/**
 * `npm start`: the pipeline on the embedded host (`node dist/local/cli.js start`, every argument passed on), plus a
 * local inbox for the signed-webhook target when no `LEAD_WEBHOOK_URL` is configured. With the sample settings no
 * target has credentials, so without the inbox no lead would be delivered anywhere; with it, routed leads are
 * delivered, signed, to a receiver on loopback that prints each lead id it gets. `--no-inbox` leaves it out;
 * `--inbox-port N` moves it (default 7072; when taken, the next free one of the ten after it; 0 = any free port).
 *
 * Stopping: SIGINT (Ctrl-C) or SIGTERM, to this process or to the npm process in front of it, stops the host and the
 * inbox within seconds; if this process is killed outright, the host notices (`--exit-with-parent`) and stops too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { type LocalInbox, startLocalInbox } from './localInbox';

const DEFAULT_INBOX_PORT = 7072;
const NEXT_PORTS_TRIED = 10;
/** The host stops within 15 s on its own; past this it is killed. */
const HOST_STOP_LIMIT_MS = 20_000;
const FIXTURE = 'test/fixtures/leads/marketplace/https-camelcase-contact-me.json';

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

/** The inbox on `port`, else on the next free one of the ten after it (0: any free port). */
async function openInbox(secret: string, port: number): Promise<LocalInbox> {
    const onDelivery = ({ leadId, count }: { leadId: string; count: number }) =>
        console.log(`[inbox] lead ${leadId} delivered${count > 1 ? ` (${count} times)` : ''}`);
    const candidates = port === 0 ? [0] : Array.from({ length: NEXT_PORTS_TRIED + 1 }, (_, i) => port + i);
    for (const candidate of candidates.filter((p) => p <= 65535)) {
        try {
            return await startLocalInbox(secret, { port: candidate, onDelivery });
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        }
    }
    throw new Error(`Ports ${port}-${port + NEXT_PORTS_TRIED} are all taken: pick one with --inbox-port N (0 = any)`);
}

function printWelcome({ baseUrl, functionKey }: { baseUrl?: string; functionKey?: string }): void {
    const key = `code=${encodeURIComponent(functionKey ?? '')}`;
    console.log(`\nIntake, the marketplace's HTTPS endpoint: ${baseUrl}/api/marketplace/leads?${key}`);
    console.log(`Leads (operations API):                  ${baseUrl}/api/leads?${key}`);
    // The key rides in the fragment: the browser never sends it to the server, and the console drops it at once.
    console.log(
        `Lead console (open in a browser):        ${baseUrl}/console/#key=${encodeURIComponent(functionKey ?? '')}`,
    );
    console.log('\nTry it from the project folder (Ctrl-C here stops everything):');
    console.log(`    curl -X POST "${baseUrl}/api/marketplace/leads?${key}" --data-binary @${FIXTURE}\n`);
}

/**
 * Passes the host's output through line by line, without the machine-readable ready line (read here instead) or the
 * host's generic first command (this script prints the pipeline's own).
 */
function relayHostOutput(host: ChildProcess, onReady: (info: Record<string, string>) => void): void {
    let pending = '';
    host.stdout!.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
            const ready = /^LOCAL_HOST_READY (\{.*\})$/u.exec(line)?.[1];
            if (ready !== undefined) onReady(JSON.parse(ready) as Record<string, string>);
            else if (!line.startsWith('Try: ')) process.stdout.write(`${line}\n`);
        }
    });
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
    const cli = join(__dirname, '../local/cli.js');
    const host = spawn(process.execPath, [cli, 'start', ...args.hostArgs, '--ready-line', '--exit-with-parent'], {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    relayHostOutput(host, printWelcome);

    let stopping = false;
    const stop = (): void => {
        if (stopping) return;
        stopping = true;
        if (host.exitCode === null && host.signalCode === null) host.kill('SIGTERM');
        setTimeout(() => host.kill('SIGKILL'), HOST_STOP_LIMIT_MS).unref();
    };
    // Ctrl-C in a terminal reaches the host as well; `kill -INT` to npm or to this process reaches only this one.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    for (const stream of [process.stdout, process.stderr]) stream.on('error', stop);
    const parent = process.ppid;
    setInterval(() => {
        if (process.ppid !== parent) stop();
    }, 500).unref();
    host.once('exit', (code, signal) => {
        void (inbox?.stop() ?? Promise.resolve()).then(() => process.exit(code ?? (signal === null ? 0 : 1)));
    });
}

main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
});
