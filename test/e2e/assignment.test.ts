/* eslint-disable @typescript-eslint/no-explicit-any -- API answers and payloads are loosely typed JSON */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type StartedHost, startHost, waitFor } from '../support/host';
import { removeHostData } from '../support/removeHostData';
import { api, getLead, postLead, ROOT, SECRET, testPipelineConfig } from './support/pipelineHost';
import { startWebhookReceiver } from './support/webhookReceiver';

const freePort = () =>
    new Promise<number>((resolve) => {
        const server = createServer();
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as AddressInfo;
            server.close(() => resolve(port));
        });
    });

const ACK_KEY = 'e2e-ack-key-0123456789abcdef0123456789';

/** The test config with assignment on: `sales` (60-minute SLA) and `fast` (3 s, reassign once, then unattended). */
function assignmentConfig(dir: string): string {
    const path = testPipelineConfig(dir);
    const config = JSON.parse(readFileSync(path, 'utf8'));
    const grades = (minutes: number) => ({ A: minutes, B: minutes, C: minutes, D: minutes });
    config.assignment = {
        enabled: true,
        people: {
            'emea-1': { displayName: 'Jana Novák' },
            'emea-2': { displayName: 'Mehmet Yılmaz' },
        },
        queues: {
            sales: { members: ['emea-1', 'emea-2'], strategy: 'round-robin', slaMinutes: grades(60) },
            fast: {
                members: ['emea-1', 'emea-2'],
                strategy: 'round-robin',
                slaMinutes: grades(0.05),
                escalation: { reassign: true, maxEscalations: 1 },
            },
        },
        rules: [
            {
                id: 'slow-owners',
                description: 'test',
                when: { '==': [{ var: 'emailDomain' }, 'slow.example'] },
                queue: 'fast',
            },
        ],
        defaultQueue: 'sales',
    };
    writeFileSync(path, JSON.stringify(config));
    return path;
}

let host: StartedHost;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const configDir = mkdtempSync(join(tmpdir(), 'assignment-e2e-'));

async function startAssignmentHost(options: { storage?: 'memory' | 'disk'; dataDir?: string } = {}) {
    const port = await freePort();
    return startHost({
        appDir: ROOT,
        port,
        ...options,
        env: {
            PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
            LEAD_WEBHOOK_URL: receiver.url,
            LEAD_WEBHOOK_SECRET: SECRET,
            PIPELINE_CONFIG_PATH: assignmentConfig(configDir),
            ASSIGNMENT_ACK_KEY: ACK_KEY,
            LOCAL_FUNCTION_KEY: 'e2e-key',
            // A short lock: a message locked by an invocation the crash killed comes back after 5 s, not 60 s.
            LOCAL_SERVICEBUS_CONFIG: JSON.stringify({
                queues: { 'lead-events': { maxDeliveryCount: 3, lockDurationSeconds: 5 } },
            }),
        },
    });
}

beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
    host = await startAssignmentHost();
}, 60_000);

afterAll(async () => {
    await host?.stop();
    await receiver?.stop();
});

const hotLead = (email: string) =>
    JSON.stringify({
        userDetails: {
            email,
            firstName: 'Ada',
            lastName: 'Lovelace',
            company: 'Contoso',
            title: 'CEO',
            phone: '+1 425 555 0100',
            country: 'US',
        },
        actionCode: 'PLT',
        offerTitle: 'E2E',
        description: 'Please call me',
    });

const payloads = (leadId: string) =>
    receiver.deliveries.filter((d) => d.leadId === leadId).map((d) => ({ ...d, json: JSON.parse(d.body) }));

/** The lead run's runtime status through the durable HTTP API (the system key, as the extension's webhooks). */
const runtimeStatus = async (leadId: string) => {
    const key = encodeURIComponent(String(host.ready.durableSystemKey));
    const res = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/lead-${leadId}?code=${key}`);
    const body = (await res.json()) as { runtimeStatus?: string };
    return body.runtimeStatus ?? `${res.status} ${JSON.stringify(body)}`;
};

describe('owner assignment and the SLA on the local host', () => {
    it('a grade-A lead gets an owner, the webhook carries the owner and the link, and the link stops the timer', async () => {
        const { status, leadId } = await postLead(host, hotLead('ada@contoso.com'));
        expect(status).toBe(202);
        const sent = await waitFor(() => payloads(leadId!)[0], 20_000, 'the webhook delivery');
        const lead = await getLead(host, leadId!);
        expect(lead?.score.grade).toBe('A');
        expect(sent.json.owner).toEqual({ personId: 'emea-1', displayName: 'Jana Novák' });
        expect(lead?.assignment.explanation).toBe('round robin in sales: Jana Novák was next');
        expect(lead?.sla).toMatchObject({ state: 'waiting', personId: 'emea-1', minutes: 60, round: 0 });

        const link = String(sent.json.acknowledge.url);
        expect(link.includes(`/api/ack/v1.${leadId}.0.`)).toBe(true);
        expect(link).not.toContain('contoso');
        expect(await runtimeStatus(leadId!)).toBe('Running');
        // Opening the link changes nothing (link scanners open links); the button's POST acknowledges.
        expect((await fetch(link)).status).toBe(200);
        expect((await getLead(host, leadId!))?.sla.state).toBe('waiting');
        const tampered = link.slice(0, -2) + (link.endsWith('AA') ? 'BB' : 'AA');
        expect((await fetch(tampered, { method: 'POST' })).status).toBe(404);
        expect((await fetch(link, { method: 'POST' })).status).toBe(200);

        // The event won the race: the timer is cancelled and the run ends.
        await waitFor(async () => (await runtimeStatus(leadId!)) === 'Completed', 15_000, 'the run to end');
        const after = await getLead(host, leadId!);
        expect(after?.sla).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'link' });
        expect(after?.speed.clickToAckMs).toBeGreaterThan(0);
        expect(after?.history.map((h: any) => h.kind)).not.toContain('sla-breached');
        // A second click answers what the first did.
        expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    }, 60_000);

    it('an unacknowledged lead is reassigned after its SLA, the second owner is notified, then it is parked', async () => {
        const { leadId } = await postLead(host, hotLead('bob@slow.example'));
        const second = await waitFor(
            () => payloads(leadId!).find((p) => p.json.owner?.personId !== payloads(leadId!)[0]?.json.owner?.personId),
            30_000,
            'the reassignment message',
        );
        const first = payloads(leadId!)[0]!;
        expect(second.json.owner.personId).not.toBe(first.json.owner.personId);
        expect(second.idempotencyKey).toBe(`${leadId}:leadWebhook:sla-1`);
        expect(second.json.acknowledge.round).toBe(1);
        // The first owner's link no longer counts.
        expect((await fetch(first.json.acknowledge.url, { method: 'POST' })).status).toBe(409);
        const parked = await waitFor(
            async () => {
                const lead = await getLead(host, leadId!);
                return lead?.sla.state === 'unattended' ? lead : undefined;
            },
            30_000,
            'the lead to be parked as unattended',
        );
        expect(parked.sla.breaches).toHaveLength(2);
        expect(parked.owner.personId).toBe(second.json.owner.personId);
        expect(parked.history.map((h: any) => h.kind)).toEqual(
            expect.arrayContaining(['sla-breached', 'reassigned', 'unattended']),
        );
        const overview = (await (await fetch(api(host, 'assignment/owners'))).json()) as any;
        expect(overview.unattended.map((u: any) => u.leadId)).toContain(leadId);
    }, 90_000);

    it("the second owner's notification, refused at the breach, is retried and delivered once", async () => {
        // The first owner's message goes through; the webhook is down (503) when the breach sends the second's.
        receiver.scripts.set('flaky@slow.example', (_d, nth) =>
            nth === 2 ? { status: 503, headers: { 'Retry-After': '1' } } : { status: 200 },
        );
        const { leadId } = await postLead(host, hotLead('flaky@slow.example'));
        const sent = await waitFor(
            async () => {
                const lead = await getLead(host, leadId!);
                return lead?.sla?.sends?.['1:leadWebhook']?.status === 'delivered' ? lead : undefined;
            },
            30_000,
            "the second owner's message to be delivered",
        );
        const second = payloads(leadId!).filter((p) => p.idempotencyKey === `${leadId}:leadWebhook:sla-1`);
        expect(second.map((p) => p.answered)).toEqual([503, 200]);
        expect(new Set(second.map((p) => p.json.owner.personId)).size).toBe(1);
        expect(second[0]!.json.owner.personId).not.toBe(payloads(leadId!)[0]!.json.owner.personId);
        expect(sent.sla.sends['1:leadWebhook']).toMatchObject({ status: 'delivered', attempts: 2, kind: 'message' });
        const attempts = sent.history
            .filter((h: any) => h.kind === 'escalation-sent')
            .map((h: any) => [h.detail.attempt, h.detail.outcome, h.detail.httpStatus]);
        expect(attempts).toEqual([
            [1, 'transient', 503],
            [2, 'delivered', 200],
        ]);
        // Nothing more comes for that round once the run has ended.
        await waitFor(
            async () => ((await runtimeStatus(leadId!)) === 'Completed' ? true : undefined),
            30_000,
            'the run',
        );
        expect(payloads(leadId!).filter((p) => p.idempotencyKey === `${leadId}:leadWebhook:sla-1`)).toHaveLength(2);
    }, 90_000);

    it('a breach is handled on time while a target still waits to retry, and the outcome is recorded after', async () => {
        receiver.scripts.set('retry@slow.example', (_d, nth) =>
            nth === 1 ? { status: 503, headers: { 'Retry-After': '9' } } : { status: 200 },
        );
        const { leadId } = await postLead(host, hotLead('retry@slow.example'));
        const parked = await waitFor(
            async () => {
                const lead = await getLead(host, leadId!);
                return lead?.sla?.state === 'unattended' ? lead : undefined;
            },
            30_000,
            'the lead to be parked while its webhook waits',
        );
        // Both breaches came while the webhook was still waiting for its retry.
        expect(payloads(leadId!).filter((p) => p.answered === 200)).toHaveLength(0);
        expect(parked.status).toBe('delivering');
        const delivered = await waitFor(
            async () => {
                const lead = await getLead(host, leadId!);
                return lead?.status === 'delivered' ? lead : undefined;
            },
            30_000,
            'the retry and the outcome',
        );
        expect(delivered.deliveries.find((d: any) => d.target === 'leadWebhook')).toMatchObject({ attempts: 2 });
    }, 90_000);

    it('the operations routes need the function key; out of office takes a person out of the rotation', async () => {
        expect((await fetch(`${host.baseUrl}/api/assignment/owners`)).status).toBe(401);
        const put = (personId: string, body: unknown, withKey = true) =>
            fetch(
                withKey
                    ? api(host, `assignment/owners/${personId}/out-of-office`)
                    : `${host.baseUrl}/api/assignment/owners/${personId}/out-of-office`,
                { method: 'PUT', body: JSON.stringify(body) },
            );
        expect((await put('emea-1', { outOfOffice: true }, false)).status).toBe(401);
        expect((await put('nobody', { outOfOffice: true })).status).toBe(404);
        expect((await put('emea-1', { outOfOffice: 'yes' })).status).toBe(400);
        expect((await put('emea-1', { outOfOffice: true })).status).toBe(200);
        const { leadId } = await postLead(host, hotLead('cy@contoso.com'));
        const sent = await waitFor(() => payloads(leadId!)[0], 20_000, 'the webhook delivery');
        expect(sent.json.owner.personId).toBe('emea-2');
        const overview = (await (await fetch(api(host, 'assignment/owners'))).json()) as any;
        expect(overview.owners.find((o: any) => o.personId === 'emea-1').outOfOffice).toBeDefined();
        expect((await put('emea-1', { outOfOffice: false })).status).toBe(200);
    }, 60_000);

    it('a crash between the assignment and the notification neither loses nor repeats the assignment', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'assignment-crash-'));
        receiver.scripts.set('crash@contoso.com', (_d, nth) => (nth === 1 ? 'hang' : { status: 200 }));
        let crashing: StartedHost | undefined = await startAssignmentHost({ storage: 'disk', dataDir });
        try {
            const { leadId } = await postLead(crashing, hotLead('crash@contoso.com'));
            // The owner is assigned and stored; the notification is in flight when the host dies.
            await waitFor(() => payloads(leadId!).length === 1, 20_000, 'the notification to be in flight');
            await crashing.kill('SIGKILL');
            crashing = await startAssignmentHost({ storage: 'disk', dataDir });
            await waitFor(
                () => payloads(leadId!).some((p) => p.answered === 200),
                45_000,
                'the notification after the restart',
            );
            const sent = payloads(leadId!);
            // The call the crash cut off, then one more after the restart: the same owner, the same key.
            expect(sent).toHaveLength(2);
            expect(new Set(sent.map((p) => p.json.owner.personId)).size).toBe(1);
            expect(new Set(sent.map((p) => p.idempotencyKey))).toEqual(new Set([`${leadId}:leadWebhook`]));
            const overview = (await (await fetch(api(crashing, 'assignment/owners'))).json()) as any;
            const counts = overview.owners.map((o: any) => o.today);
            expect(counts.reduce((a: number, b: number) => a + b, 0)).toBe(1);
            const lead = await getLead(crashing, leadId!);
            expect(lead?.owner.personId).toBe(sent[0]!.json.owner.personId);
            expect(lead?.sla.state).toBe('waiting');
        } finally {
            await crashing?.stop();
            await removeHostData(dataDir);
        }
    }, 120_000);
});
