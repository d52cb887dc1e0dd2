import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { createWebhookTarget } from '../../shared/adapters/webhook/createWebhookTarget';
import { verifyWebhookSignature } from '../../shared/adapters/webhook/signWebhook';
import {
    ConfigError,
    decide,
    parseMarketplaceCallback,
    parsePipelineConfig,
    PermanentError,
    TransientError,
} from '../../shared/domain/index';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import { InMemoryRateGovernor } from '../fakes/InMemoryRateGovernor';
import { fixture } from '../functions/helpers';

const secret = 'test-secret-0123456789';
type Reply = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let reply: Reply;
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
let server: Server;
let url: string;
const logs: string[] = [];

beforeAll(async () => {
    server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
            received.push({ headers: req.headers, body });
            reply(req, res, body);
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
});
beforeEach(() => {
    received.length = 0;
    logs.length = 0;
});

const config = parsePipelineConfig(
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'pipeline.json'), 'utf8')),
);
const lead = parseMarketplaceCallback(fixture('https-pascal-campaign.json'), {
    receivedAt: '2026-11-21T06:00:00.000Z',
});
const decision = decide(lead, config, '2026-11-21T06:00:01.000Z');
const targetConfig = (options: Record<string, unknown> = {}): TargetConfig => ({
    type: 'webhook',
    role: 'notify',
    enabled: true,
    options: { url: '%HOOK_URL%', secret: '%HOOK_SECRET%', ...options },
});
const settings = () => ({ HOOK_URL: url, HOOK_SECRET: secret }) as Record<string, string>;
const target = (options: Record<string, unknown> = {}) =>
    createWebhookTarget('leadWebhook', targetConfig(options), {
        setting: (n) => settings()[n],
        logger: {
            debug: (m, d) => logs.push(m + JSON.stringify(d)),
            info: (m, d) => logs.push(m + JSON.stringify(d)),
            warn: () => {},
            error: () => {},
        },
        now: () => new Date(),
        fetch: globalThis.fetch,
        rateGovernor: new InMemoryRateGovernor({ now: () => new Date() }),
    });
const request = { lead, decision, target: 'leadWebhook', idempotencyKey: `${lead.leadKey}:leadWebhook`, attempt: 1 };

describe('signed webhook target', () => {
    it('when the receiver answers 2xx then the lead is delivered, signed over timestamp and body, with an idempotency key', async () => {
        reply = (_req, res) => res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"rec-7"}');

        const result = await target().deliver(request);

        expect(result).toMatchObject({ action: 'sent', status: 201, externalId: 'rec-7' });
        const { headers, body } = received[0]!;
        expect(verifyWebhookSignature(secret, body, headers['x-lead-signature'] as string, new Date())).toBe(true);
        expect(
            verifyWebhookSignature('wrong-secret-0123456', body, headers['x-lead-signature'] as string, new Date()),
        ).toBe(false);
        expect(headers['idempotency-key']).toBe(`${lead.leadKey}:leadWebhook`);
        expect(JSON.parse(body)).toMatchObject({
            leadId: lead.leadKey,
            lead: { leadKey: lead.leadKey },
            decision: { configVersion: decision.configVersion },
        });
        expect(logs.join('\n')).not.toMatch(/@|Contoso|contoso/u);
    });

    it('when the pipeline decided an owner then the payload carries it, with the person’s id for this target', async () => {
        reply = (_req, res) => res.writeHead(200).end();
        const owner = { personId: 'jana', displayName: 'Jana Novak', id: 'crm-user-7' };

        await target().deliver({ ...request, owner });

        expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ owner });
        await target().deliver(request);
        expect(JSON.parse(received.at(-1)!.body)).not.toHaveProperty('owner');
    });

    it.each([
        [429, { 'retry-after': '7' }, 7000],
        [503, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() }, 'date'],
        [408, {}, undefined],
    ])(
        'when the receiver answers %s then it is a transient failure carrying Retry-After',
        async (status, headers, retryAfter) => {
            reply = (_req, res) => res.writeHead(status, headers).end();

            const error = (await target()
                .deliver(request)
                .catch((e: unknown) => e)) as TransientError;

            expect(error).toBeInstanceOf(TransientError);
            expect(error.details.status).toBe(status);
            if (retryAfter === 'date') expect(error.details.retryAfterMs).toBeGreaterThan(50_000);
            else expect(error.details.retryAfterMs).toBe(retryAfter);
        },
    );

    it('when the receiver answers 400 then it is a permanent failure', async () => {
        reply = (_req, res) => res.writeHead(400).end('{"error":"bad email dana@x.com"}');

        const error = (await target()
            .deliver(request)
            .catch((e: unknown) => e)) as PermanentError;

        expect(error).toBeInstanceOf(PermanentError);
        expect(error.message).not.toMatch(/@/u);
    });

    it('when the receiver does not answer in time then it is a transient timeout', async () => {
        reply = () => {};

        const error = (await target({ timeoutSeconds: 0.3 })
            .deliver(request)
            .catch((e: unknown) => e)) as TransientError;

        expect(error).toBeInstanceOf(TransientError);
        expect(error.details.code).toBe('timeout');
    });

    it('when the receiver resets the connection then it is transient', async () => {
        reply = (req) => req.socket.destroy();

        await expect(target().deliver(request)).rejects.toBeInstanceOf(TransientError);
    });

    it('when the URL or secret setting is missing then building the target names every problem', () => {
        expect(() =>
            createWebhookTarget('leadWebhook', targetConfig(), {
                setting: () => undefined,
                logger: { debug() {}, info() {}, warn() {}, error() {} },
                now: () => new Date(),
                fetch: globalThis.fetch,
                rateGovernor: new InMemoryRateGovernor({ now: () => new Date() }),
            }),
        ).toThrow(ConfigError);
    });
});
