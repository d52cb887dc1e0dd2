/* eslint-disable @typescript-eslint/require-await -- scripted targets answer promise-returning ports at once */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { createMarketplaceLeadWebhook } from '../../functions/marketplaceLeadWebhook';
import { signAckToken } from '../../shared/app/ackLink';
import { ackLinks } from '../../shared/app/ackLink';
import { acknowledgeLead } from '../../shared/app/acknowledgeLead';
import { contextLogger } from '../../shared/app/contextLogger';
import { decideAndDeliver } from '../../shared/app/decideAndDeliver';
import { deliverEscalation } from '../../shared/app/deliverEscalation';
import { deliverToTarget } from '../../shared/app/deliverToTarget';
import { escalateLead } from '../../shared/app/escalateLead';
import { listProblems } from '../../shared/app/listProblems';
import { parsePipelineConfig, type PipelineConfig, TransientError } from '../../shared/domain/index';
import type { DeliveryRequest, DeliveryResult, DeliveryTarget } from '../../shared/ports/DeliveryTarget';
import { InMemoryInvalidPayloads, InMemoryParked, testContext } from '../fakes/fakes';
import { InMemoryAssignmentStore } from '../fakes/InMemoryAssignmentStore';
import { fixture, intakeDeps, post } from './helpers';
import { pipelineConfig } from './pipelineHarness';

const KEY = 'unit-ack-key-0123456789abcdef0123456789';
const config: PipelineConfig = parsePipelineConfig({
    ...JSON.parse(JSON.stringify(pipelineConfig)),
    assignment: {
        enabled: true,
        people: {
            'p-1': { displayName: 'Jana', targetIds: { hubspot: '101' } },
            'p-2': { displayName: 'Mehmet', targetIds: { hubspot: '102' } },
        },
        queues: {
            sales: {
                members: ['p-1', 'p-2'],
                strategy: 'round-robin',
                slaMinutes: { A: 15, B: 15, C: 15, D: 15 },
                escalation: { reassign: true, notify: ['salesTeams'], maxEscalations: 1 },
            },
        },
        rules: [],
        defaultQueue: 'sales',
    },
});

const logger = contextLogger(testContext('assignment').context);
const attempt = (leadId: string, target: string, n: number) => ({
    leadId,
    target,
    attempt: n,
    force: false,
    runId: `lead-${leadId}`,
    trace: {},
});
const decidedAt = new Date('2026-11-21T06:00:05.000Z');

function setup(enabled = ['leadWebhook', 'hubspot', 'salesTeams']) {
    const deps = intakeDeps();
    const assignments = new InMemoryAssignmentStore();
    const requests: { target: string; request: DeliveryRequest }[] = [];
    let behaviour: (target: string, request: DeliveryRequest) => Promise<DeliveryResult> = async (target) => ({
        action: 'sent',
        status: 200,
        ...(target === 'hubspot' ? { externalId: 'h-1' } : {}),
    });
    const target = (name: string): DeliveryTarget | undefined =>
        enabled.includes(name)
            ? {
                  name,
                  type: 'webhook',
                  role: config.targets[name]!.role,
                  deliver: (request) => {
                      requests.push({ target: name, request });
                      return behaviour(name, request);
                  },
                  checkHealth: async (now) => ({
                      target: name,
                      type: 'webhook',
                      ok: true,
                      checkedAt: now.toISOString(),
                  }),
              }
            : undefined;
    const base = {
        leads: deps.leads,
        config,
        enabledTargets: new Set(enabled),
        logger,
        target,
        assignments,
        ackLinks: ackLinks('https://leads.example.net', KEY),
        ackLinkHours: config.assignment!.ackLinkHours,
    };
    return {
        deps,
        assignments,
        requests,
        base,
        setBehaviour: (b: typeof behaviour) => (behaviour = b),
        async intake(): Promise<string> {
            const res = await createMarketplaceLeadWebhook(() => deps)(
                post(fixture('https-pascal-campaign.json')),
                testContext('w').context,
            );
            return (res.jsonBody as { leadId: string }).leadId;
        },
        first: (leadId: string, now = '2026-11-21T06:00:05.100Z') =>
            decideAndDeliver(
                { ...base, now: () => new Date(now) },
                { leadId, now: decidedAt, runId: `lead-${leadId}` },
            ),
    };
}

describe('owner assignment in the first step', () => {
    it('when a lead is decided then its owner goes to the CRM with their id there, and the notification carries the link after the CRM answered', async () => {
        const s = setup();
        const leadId = await s.intake();
        const pass = await s.first(leadId);

        expect(pass.sla).toEqual({ dueAt: '2026-11-21T06:15:05.000Z', round: 0 });
        const byTarget = Object.fromEntries(s.requests.map((r) => [r.target, r.request]));
        expect(byTarget.hubspot!.owner).toEqual({ personId: 'p-1', displayName: 'Jana', id: '101' });
        expect(byTarget.leadWebhook!.owner).toEqual({ personId: 'p-1', displayName: 'Jana' });
        expect(byTarget.leadWebhook!.related).toEqual([{ target: 'hubspot', externalId: 'h-1' }]);
        expect(byTarget.leadWebhook!.acknowledge).toMatchObject({ dueAt: '2026-11-21T06:15:05.000Z', round: 0 });
        expect(byTarget.leadWebhook!.acknowledge!.url).toMatch(
            new RegExp(`^https://leads.example.net/api/ack/v1\\.${leadId}\\.0\\.\\d{10}\\.`),
        );
        expect(byTarget.hubspot!.acknowledge).toBeUndefined();
        const record = s.deps.leads.records.get(leadId)!;
        expect(record.decision?.assignment?.explanation).toBe('round robin in sales: Jana was next');
        expect(record.sla).toMatchObject({ state: 'waiting', personId: 'p-1', minutes: 15, round: 0 });
    });

    it('when the worker stops after the assignment and before the decision is stored then the activity run again keeps the owner and counts it once', async () => {
        const s = setup();
        const leadId = await s.intake();
        const save = s.deps.leads.saveDecision;
        s.deps.leads.saveDecision = () => Promise.reject(new Error('worker stopped'));
        await expect(s.first(leadId)).rejects.toThrow('worker stopped');
        expect(s.requests).toHaveLength(0);
        s.deps.leads.saveDecision = save;

        await s.first(leadId);

        expect(s.assignments.commits).toBe(1);
        expect(s.assignments.state.people['p-1']?.count).toBe(1);
        expect(s.assignments.state.people['p-2']).toBeUndefined();
        expect(s.requests.map((r) => r.request.owner?.personId)).toEqual(['p-1', 'p-1', 'p-1']);
    });

    it('when the worker stops during the notification then the run again notifies the same owner once more and assigns nothing new', async () => {
        const s = setup(['leadWebhook']);
        const leadId = await s.intake();
        s.setBehaviour(() => new Promise<DeliveryResult>(() => undefined));
        void s.first(leadId);
        for (let i = 0; i < 200 && s.requests.length === 0; i++) await new Promise((r) => setImmediate(r));
        s.setBehaviour(async () => ({ action: 'sent', status: 200 }));

        const again = await s.first(leadId, '2026-11-21T06:00:40.000Z');

        expect(again.recorded).toBe('delivered');
        expect(s.requests.map((r) => [r.request.owner?.personId, r.request.idempotencyKey])).toEqual([
            ['p-1', `${leadId}:leadWebhook`],
            ['p-1', `${leadId}:leadWebhook`],
        ]);
        expect(s.assignments.commits).toBe(1);
        expect(s.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'leadWebhook')).toMatchObject({
            status: 'delivered',
            inDoubt: 1,
        });
    });
});

describe('a notification retried while the SLA waits', () => {
    it("carries the owner's acknowledgement link, as its first attempt would have", async () => {
        const s = setup();
        s.setBehaviour(async (target, request) => {
            if (target === 'leadWebhook' && request.attempt === 1) throw new TransientError('webhook answered 503');
            return { action: 'sent', status: 200, ...(target === 'hubspot' ? { externalId: 'h-1' } : {}) };
        });
        const leadId = await s.intake();
        await s.first(leadId);

        const retried = await deliverToTarget(
            { ...s.base, now: () => new Date('2026-11-21T06:00:07.000Z') },
            attempt(leadId, 'leadWebhook', 2),
        );

        expect(retried).toMatchObject({ outcome: 'delivered' });
        const [first, second] = s.requests.filter((r) => r.target === 'leadWebhook').map((r) => r.request);
        expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
        expect(second?.acknowledge).toMatchObject({ round: 0, dueAt: '2026-11-21T06:15:05.000Z' });
        expect(second?.acknowledge?.url).toMatch(/^https:\/\/leads\.example\.net\/api\/ack\/v1\./);
    });
});

describe('escalation on a breach', () => {
    it('reassigns to the next person, updates the CRM owner, tells the new owner and the managers, then parks the lead', async () => {
        const s = setup();
        const leadId = await s.intake();
        await s.first(leadId);
        s.requests.length = 0;
        const deps = { ...s.base, now: () => new Date('2026-11-21T06:15:06.000Z') };

        const first = await escalateLead(deps, { leadId, round: 0, now: new Date('2026-11-21T06:15:05.000Z') });

        expect(first).toMatchObject({ state: 'waiting', sla: { dueAt: '2026-11-21T06:30:05.000Z', round: 1 } });
        // The activity decides and records what to send; the orchestration delivers it (targetDelivery's retries).
        expect(s.requests).toHaveLength(0);
        expect(first.send?.round).toBe(1);
        expect([...first.send!.targets].sort((a, b) => a.target.localeCompare(b.target))).toEqual([
            { target: 'hubspot', kind: 'owner' },
            { target: 'leadWebhook', kind: 'message' },
            { target: 'salesTeams', kind: 'message' },
        ]);
        for (const { target, kind } of first.send!.targets)
            expect(
                await deliverEscalation(deps, { ...attempt(leadId, target, 1), escalation: { round: 1, kind } }),
            ).toMatchObject({ outcome: 'delivered' });
        const sentNow = s.requests.map((r) => [r.target, r.request.owner?.personId, r.request.idempotencyKey]);
        expect(sentNow.sort()).toEqual([
            ['hubspot', 'p-2', `${leadId}:hubspot`],
            ['leadWebhook', 'p-2', `${leadId}:leadWebhook:sla-1`],
            ['salesTeams', 'p-2', `${leadId}:salesTeams:sla-1`],
        ]);
        expect(s.requests.find((r) => r.target === 'hubspot')!.request.owner?.id).toBe('102');
        expect(s.requests.find((r) => r.target === 'salesTeams')!.request.acknowledge?.round).toBe(1);
        // Counts are leads received: the lead taken away on the breach still counts for the first owner's day.
        const people = (await s.assignments.read()).state.people;
        expect([people['p-1']?.count, people['p-2']?.count]).toEqual([1, 1]);
        // A later redelivery writes the new owner too.
        expect(s.deps.leads.records.get(leadId)!.decision?.owner).toEqual({
            personId: 'p-2',
            displayName: 'Mehmet',
            targetIds: { hubspot: '102' },
        });
        // The activity run again for the same round answers what it decided, and sends nothing more.
        const sent = s.requests.length;
        expect(await escalateLead(deps, { leadId, round: 0, now: new Date('2026-11-21T06:15:05.000Z') })).toEqual(
            first,
        );
        expect(s.requests).toHaveLength(sent);

        const second = await escalateLead(deps, { leadId, round: 1, now: new Date('2026-11-21T06:30:05.000Z') });

        expect(second).toEqual({
            state: 'unattended',
            send: { round: 2, targets: [{ target: 'salesTeams', kind: 'message' }] },
        });
        expect(s.assignments.unattended.get(leadId)).toMatchObject({ queue: 'sales', personId: 'p-2', breaches: 2 });
        const record = s.deps.leads.records.get(leadId)!;
        expect(record.sla).toMatchObject({
            state: 'unattended',
            breaches: ['2026-11-21T06:15:05.000Z', '2026-11-21T06:30:05.000Z'],
        });
        expect(record.history.map((h) => h.kind)).toEqual(
            expect.arrayContaining(['sla-breached', 'reassigned', 'escalation-sent', 'unattended']),
        );
    });
});

describe("an escalation's deliveries", () => {
    it("when the new owner's notification target is down at the breach then the attempt is recorded, retried and delivered once", async () => {
        const s = setup();
        const leadId = await s.intake();
        await s.first(leadId);
        s.requests.length = 0;
        const deps = { ...s.base, now: () => new Date('2026-11-21T06:15:06.000Z') };
        await escalateLead(deps, { leadId, round: 0, now: new Date('2026-11-21T06:15:05.000Z') });
        let calls = 0;
        s.setBehaviour(async () => {
            calls++;
            if (calls === 1) throw new TransientError('webhook answered 503', { status: 503, retryAfterMs: 2000 });
            return { action: 'sent', status: 200 };
        });
        const escalation = { round: 1, kind: 'message' as const };

        const failed = await deliverEscalation(deps, { ...attempt(leadId, 'leadWebhook', 1), escalation });

        expect(failed).toMatchObject({ outcome: 'transient', httpStatus: 503, retryAt: '2026-11-21T06:15:08.000Z' });
        expect(s.deps.leads.records.get(leadId)!.sla!.sends!['1:leadWebhook']).toMatchObject({
            status: 'retrying',
            attempts: 1,
            lastHttpStatus: 503,
        });

        const delivered = await deliverEscalation(deps, { ...attempt(leadId, 'leadWebhook', 2), escalation });
        // The activity run again (a replay, a worker that stopped after the answer): no second message.
        const again = await deliverEscalation(deps, { ...attempt(leadId, 'leadWebhook', 2), escalation });

        expect(delivered).toMatchObject({ outcome: 'delivered', alreadyDelivered: false });
        expect(again).toMatchObject({ outcome: 'delivered', alreadyDelivered: true });
        const keys = s.requests.filter((r) => r.target === 'leadWebhook').map((r) => r.request.idempotencyKey);
        expect(keys).toEqual([`${leadId}:leadWebhook:sla-1`, `${leadId}:leadWebhook:sla-1`]);
        const record = s.deps.leads.records.get(leadId)!;
        expect(record.sla!.sends!['1:leadWebhook']).toMatchObject({ status: 'delivered', attempts: 2 });
        expect(record.sla!.sends!['1:leadWebhook']!.inFlight).toBeUndefined();
        const sent = record.history.filter((h) => h.kind === 'escalation-sent' && h.detail?.target === 'leadWebhook');
        expect(sent.map((h) => [h.detail?.attempt, h.detail?.outcome])).toEqual([
            [1, 'transient'],
            [2, 'delivered'],
        ]);
    });

    it('when the worker stopped during a call then the attempt run again is recorded as in doubt', async () => {
        const s = setup();
        const leadId = await s.intake();
        await s.first(leadId);
        const deps = { ...s.base, now: () => new Date('2026-11-21T06:15:06.000Z') };
        await escalateLead(deps, { leadId, round: 0, now: new Date('2026-11-21T06:15:05.000Z') });
        const escalation = { round: 1, kind: 'message' as const };
        s.setBehaviour(() => Promise.reject(new Error('connection reset')));
        // The worker stops after marking the call in flight: its answer is never recorded.
        let marked = 0;
        const leads = Object.assign(Object.create(Object.getPrototypeOf(s.deps.leads)), s.deps.leads, {
            saveSla: async (...args: Parameters<typeof s.deps.leads.saveSla>) => {
                if (marked++ === 1) throw new Error('worker stopped');
                return s.deps.leads.saveSla(...args);
            },
        });
        await expect(
            deliverEscalation({ ...deps, leads }, { ...attempt(leadId, 'leadWebhook', 1), escalation }),
        ).rejects.toThrow('worker stopped');
        s.setBehaviour(async () => ({ action: 'sent', status: 200 }));

        await deliverEscalation(deps, { ...attempt(leadId, 'leadWebhook', 1), escalation });

        const record = s.deps.leads.records.get(leadId)!;
        expect(record.history.map((h) => h.kind)).toContain('escalation-in-doubt');
        expect(record.sla!.sends!['1:leadWebhook']).toMatchObject({ status: 'delivered', attempts: 1 });
    });
});

describe('an escalation delivery of a lead that is gone', () => {
    it('ends for good without calling the target (the person was erased after the breach)', async () => {
        const s = setup();
        const result = await deliverEscalation(
            { ...s.base, now: () => decidedAt },
            {
                ...attempt('lk-gone', 'leadWebhook', 1),
                escalation: { round: 1, kind: 'message' },
            },
        );
        expect(result).toMatchObject({ outcome: 'permanent' });
        expect(s.requests).toHaveLength(0);
    });
});

describe('a status change in the CRM', () => {
    it('counts as the acknowledgement when the SLA is up: no escalation, nobody else told', async () => {
        const s = setup();
        // HubSpot's batch upsert answers 200 for a contact it created too: the delivery's `created` is what counts.
        s.setBehaviour(async () => ({ action: 'created', status: 200, externalId: 'h-1' }));
        const leadId = await s.intake();
        await s.first(leadId);
        s.requests.length = 0;
        let worked = false;
        const readIds: (string | undefined)[] = [];
        const target = (name: string) => {
            const t = s.base.target(name);
            return t === undefined || name !== 'hubspot'
                ? t
                : {
                      ...t,
                      leadStatus: async (_request: unknown, recordId?: string) => {
                          readIds.push(recordId);
                          return { status: worked ? 'IN_PROGRESS' : 'NEW', worked };
                      },
                  };
        };
        const deps = { ...s.base, target, now: () => new Date('2026-11-21T06:15:06.000Z') };
        worked = true;

        const result = await escalateLead(deps, { leadId, round: 0, now: new Date('2026-11-21T06:15:05.000Z') });

        expect(result).toEqual({ state: 'acknowledged' });
        // The record read is the one the delivery stored, by its id.
        expect(readIds).toEqual(['h-1']);
        expect(s.requests).toHaveLength(0);
        expect(s.assignments.commits).toBe(1);
        expect(s.deps.leads.records.get(leadId)!.sla).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'crm' });
    });

    it("does not count a returning person's record that was worked before this lead", async () => {
        const s = setup();
        s.setBehaviour(async () => ({ action: 'updated', status: 200, externalId: 'h-1' }));
        const leadId = await s.intake();
        await s.first(leadId);
        const target = (name: string) => {
            const t = s.base.target(name);
            return t === undefined || name !== 'hubspot'
                ? t
                : { ...t, leadStatus: async () => ({ status: 'IN_PROGRESS', worked: true }) };
        };
        const deps = { ...s.base, target, now: () => new Date('2026-11-21T06:15:06.000Z') };
        const result = await escalateLead(deps, { leadId, round: 0, now: new Date('2026-11-21T06:15:05.000Z') });
        expect(result).toMatchObject({ state: 'waiting', sla: { round: 1 } });
    });
});

describe('the console', () => {
    it('lists an unattended lead among the problems, and the publisher is needed', async () => {
        const s = setup();
        const leadId = await s.intake();
        await s.first(leadId);
        const deps = { ...s.base, now: () => new Date('2026-11-21T06:15:06.000Z') };
        await escalateLead(deps, { leadId, round: 0, now: new Date('2026-11-21T06:15:05.000Z') });
        await escalateLead(deps, { leadId, round: 1, now: new Date('2026-11-21T06:30:05.000Z') });
        const problems = await listProblems({
            leads: s.deps.leads,
            now: () => new Date('2026-11-21T06:31:00.000Z'),
            delivery: config.delivery,
            parked: new InMemoryParked(),
            invalidPayloads: new InMemoryInvalidPayloads(),
            assignments: s.assignments,
            targetsHealth: async () => ({ ok: true, summary: '', checkedAt: '', targets: [] }),
        });
        expect(problems.needsAttention).toBe(true);
        expect(problems.counts.unattended).toBe(1);
        expect(problems.unattended).toEqual([
            { leadId, queue: 'sales', personId: 'p-2', since: '2026-11-21T06:30:05.000Z', breaches: 2 },
        ]);
    });
});

describe('the acknowledgement link', () => {
    async function acknowledged() {
        const s = setup(['leadWebhook']);
        const leadId = await s.intake();
        await s.first(leadId);
        const raised: unknown[] = [];
        const deps = (now = '2026-11-21T06:10:00.000Z', key: string | null = KEY) => ({
            leads: s.deps.leads,
            assignments: s.assignments,
            key: key ?? undefined,
            now: () => new Date(now),
            logger,
            raise: async (id: string, round: number) => void raised.push([id, round]),
        });
        const url = s.requests[0]!.request.acknowledge!.url;
        return { s, leadId, deps, raised, token: url.slice(url.lastIndexOf('/') + 1) };
    }

    it('accepts only its own valid, unexpired signature, and stops the timer once', async () => {
        const { s, leadId, deps, raised, token } = await acknowledged();
        const forged = signAckToken('another-key-0123456789abcdef0123456789', {
            leadId,
            round: 0,
            expires: 1_900_000_000,
        });
        const otherLead = signAckToken(KEY, { leadId: 'lk-other', round: 0, expires: 1_900_000_000 });
        const tampered = token.replace(`.${leadId}.`, '.lk-0000000000000000000000000000000000000000.');
        expect(await acknowledgeLead(deps(), forged)).toEqual({ outcome: 'invalid' });
        expect(await acknowledgeLead(deps(), tampered)).toEqual({ outcome: 'invalid' });
        expect(await acknowledgeLead(deps(), otherLead)).toEqual({ outcome: 'unknown' });
        expect(await acknowledgeLead(deps(), `${token}x`)).toEqual({ outcome: 'invalid' });
        expect(await acknowledgeLead(deps(undefined, null), token)).toEqual({ outcome: 'invalid' });
        // 72 hours after the orchestration's time the link has expired.
        expect(await acknowledgeLead(deps('2026-11-24T06:00:06.000Z'), token)).toEqual({ outcome: 'expired' });
        expect(raised).toEqual([]);

        expect(await acknowledgeLead(deps(), token)).toEqual({ outcome: 'acknowledged', leadId, late: false });
        expect(await acknowledgeLead(deps(), token)).toEqual({ outcome: 'already-acknowledged', leadId, late: false });
        expect(raised).toEqual([[leadId, 0]]);
        expect(s.deps.leads.records.get(leadId)!.sla).toMatchObject({
            state: 'acknowledged',
            acknowledgedAt: '2026-11-21T06:10:00.000Z',
            acknowledgedBy: 'link',
        });
    });

    it("refuses the first owner's link once the lead was reassigned, and a breach after the acknowledgement changes nothing", async () => {
        const { s, leadId, deps, token } = await acknowledged();
        const escalate = {
            ...s.base,
            enabledTargets: new Set(['leadWebhook']),
            now: () => new Date('2026-11-21T06:15:06.000Z'),
        };
        await escalateLead(escalate, { leadId, round: 0, now: new Date('2026-11-21T06:15:05.000Z') });
        expect(await acknowledgeLead(deps('2026-11-21T06:16:00.000Z'), token)).toEqual({ outcome: 'reassigned' });

        const fresh = await acknowledged();
        await acknowledgeLead(fresh.deps(), fresh.token);
        const after = await escalateLead(
            { ...fresh.s.base, now: () => new Date('2026-11-21T06:15:06.000Z') },
            { leadId: fresh.leadId, round: 0, now: new Date('2026-11-21T06:15:05.000Z') },
        );
        expect(after).toEqual({ state: 'acknowledged' });
    });
});
