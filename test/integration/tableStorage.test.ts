import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { TableClient } from '@azure/data-tables';
import { InvocationContext } from '@azure/functions';

import { createMarketplaceTablePoller } from '../../functions/marketplaceTablePoller';
import { createBlobRawBodyStore } from '../../shared/adapters/blob/createBlobRawBodyStore';
import { createMarketplaceRowSource } from '../../shared/adapters/tables/createMarketplaceRowSource';
import { createTableCheckpointStore } from '../../shared/adapters/tables/createTableCheckpointStore';
import { createTableInvalidPayloadStore } from '../../shared/adapters/tables/createTableInvalidPayloadStore';
import { createTableLeadRepository } from '../../shared/adapters/tables/createTableLeadRepository';
import { createTableParkedLeadStore } from '../../shared/adapters/tables/createTableParkedLeadStore';
import { createTableClientFactory } from '../../shared/adapters/tables/tableClients';
import { deliverToTarget } from '../../shared/app/deliverToTarget';
import { requestRedelivery } from '../../shared/app/requestRedelivery';
import { decide, parseMarketplaceCallback, parsePipelineConfig, ValidationError } from '../../shared/domain/index';
import type { DeliveryTarget } from '../../shared/ports/DeliveryTarget';
import type { Logger } from '../../shared/ports/Logger';
import { FakeStarter } from '../fakes/fakes';
import { fixture, intakeDeps } from '../functions/helpers';
import { type AzuriteInstance, startAzurite } from '../support/azurite';

let azurite: AzuriteInstance;
beforeAll(async () => {
    azurite = await startAzurite();
});
afterAll(async () => {
    await azurite.stop();
});

const config = parsePipelineConfig(
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'pipeline.json'), 'utf8')),
);

function stores(prefix: string) {
    const tables = createTableClientFactory({ connectionString: azurite.connectionString }, prefix);
    const blobs = createBlobRawBodyStore(
        { connectionString: azurite.connectionString },
        `raw-${prefix.toLowerCase()}`,
        () => tables('RawBodies'),
    );
    return { tables, blobs, leads: createTableLeadRepository(tables, blobs) };
}

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const leadAt = (iso: string, body = fixture('https-pascal-campaign.json')) =>
    parseMarketplaceCallback(body, { receivedAt: iso });

describe('Table Storage adapters (Azurite)', () => {
    it('when a lead is created twice then the second create reports the existing lead and stores nothing new', async () => {
        const { leads } = stores('Dup');
        const lead = leadAt('2026-11-21T06:00:00.000Z');
        const raw = new TextEncoder().encode('{"a":1}');

        const [a, b] = await Promise.all([
            leads.create({ leadId: lead.leadKey, lead, raw, now: new Date() }),
            leads.create({ leadId: lead.leadKey, lead, raw, now: new Date() }),
        ]);

        expect([a.created, b.created].sort()).toEqual([false, true]);
        expect((await leads.findExisting(['lk-none', lead.leadKey]))?.leadId).toBe(lead.leadKey);
        expect((await leads.list({ limit: 10 })).items.map((i) => i.leadId)).toEqual([lead.leadKey]);
    });

    it('when a lead goes through decision, deliveries and completion then reading it returns the full history', async () => {
        const { leads } = stores('Life');
        const lead = leadAt('2026-11-21T06:00:00.000Z');
        await leads.create({
            leadId: lead.leadKey,
            lead,
            raw: new Uint8Array([1, 2, 3]),
            now: new Date('2026-11-21T06:00:01Z'),
        });
        const decision = decide(lead, config, '2026-11-21T06:00:02.000Z', {
            availableTargets: new Set(['leadWebhook']),
        });
        const ref = { leadId: lead.leadKey, receivedAt: lead.receivedAt };
        const at = '2026-11-21T06:00:02.000Z';

        await leads.saveDecision(
            ref,
            decision,
            'delivering',
            [{ target: 'leadWebhook', role: 'notify', status: 'pending', attempts: 0, updatedAt: at }],
            new Date(at),
        );
        const pending = (await leads.get(lead.leadKey))!.deliveries[0]!;
        expect(
            await leads.commitDeliveries(ref, {
                deliveries: [
                    {
                        ...pending,
                        status: 'retrying',
                        attempts: 1,
                        lastError: 'TransientError: HTTP 503',
                        updatedAt: at,
                    },
                ],
                history: { at, kind: 'delivery-transient', detail: { target: 'leadWebhook', attempt: 1 } },
                now: new Date(at),
            }),
        ).toEqual([expect.objectContaining({ status: 'retrying', etag: expect.any(String) })]);
        const retrying = (await leads.get(lead.leadKey))!.deliveries[0]!;
        expect(
            await leads.commitDeliveries(ref, {
                deliveries: [
                    {
                        target: 'leadWebhook',
                        role: 'notify',
                        status: 'delivered',
                        attempts: 2,
                        externalId: 'x1',
                        updatedAt: at,
                        etag: retrying.etag,
                    },
                ],
                status: 'delivered',
                completed: true,
                history: { at: '2026-11-21T06:00:03.000Z', kind: 'completed', detail: { status: 'delivered' } },
                now: new Date('2026-11-21T06:00:03Z'),
            }),
        ).toEqual([expect.objectContaining({ status: 'delivered', etag: expect.any(String) })]);
        const record = await leads.get(lead.leadKey);

        expect(record).toMatchObject({ status: 'delivered', rawRef: 'table', completedAt: '2026-11-21T06:00:03.000Z' });
        expect(record!.lead).toEqual(lead);
        expect(record!.decision).toEqual(decision);
        expect(record!.deliveries).toEqual([
            expect.objectContaining({ target: 'leadWebhook', status: 'delivered', attempts: 2, externalId: 'x1' }),
        ]);
        expect(record!.deliveries[0]!.lastError).toBeUndefined();
        expect(record!.history.map((h) => h.kind)).toEqual(['received', 'decided', 'delivery-transient', 'completed']);
        expect((await leads.list({ limit: 5, status: 'delivered' })).items).toHaveLength(1);
        expect(await leads.journey(lead.personKey!)).toEqual([
            expect.objectContaining({ leadId: lead.leadKey, receivedAt: lead.receivedAt, channel: 'https' }),
        ]);
    });

    it('when delivery rows changed since they were read then a commit writes nothing and reports the conflict', async () => {
        const { leads } = stores('Etag');
        const lead = leadAt('2026-11-21T06:00:00.000Z');
        const created = new Date('2026-11-21T06:00:01Z');
        await leads.create({ leadId: lead.leadKey, lead, raw: new Uint8Array([1]), now: created });
        const ref = { leadId: lead.leadKey, receivedAt: lead.receivedAt };
        const at = '2026-11-21T06:00:02.000Z';
        const row = (target: string, attempts: number) =>
            ({ target, role: 'notify', status: 'pending', attempts, updatedAt: at }) as const;
        const decision = decide(lead, config, at, { availableTargets: new Set(['leadWebhook']) });
        await leads.saveDecision(ref, decision, 'delivering', [row('a', 0), row('b', 0)], new Date(at));
        const read = await leads.get(lead.leadKey);
        const [a, b] = [read!.deliveries[0]!, read!.deliveries[1]!];
        const history = (kind: string) => ({ at, kind });

        const first = await leads.commitDeliveries(ref, {
            deliveries: [{ ...a, attempts: 1 }],
            unchanged: [b],
            status: 'delivered',
            completed: true,
            history: history('one'),
            now: new Date(at),
        });
        const staleWrite = await leads.commitDeliveries(ref, {
            deliveries: [{ ...a, attempts: 7 }],
            history: history('two'),
            now: new Date(at),
        });
        const staleCheck = await leads.commitDeliveries(ref, {
            deliveries: [{ ...b, attempts: 7 }],
            unchanged: [a],
            status: 'failed',
            history: history('three'),
            now: new Date(at),
        });
        const createExisting = await leads.commitDeliveries(ref, {
            deliveries: [{ ...row('a', 9) }],
            history: history('four'),
            now: new Date(at),
        });
        const after = await leads.get(lead.leadKey);

        expect([first, staleWrite, staleCheck, createExisting]).toEqual([
            [expect.objectContaining({ target: 'a', attempts: 1 })],
            false,
            false,
            false,
        ]);
        expect(after!.deliveries.map((d) => [d.target, d.attempts])).toEqual([
            ['a', 1],
            ['b', 0],
        ]);
        expect(after).toMatchObject({ status: 'delivered', completedAt: at });
        expect(after!.history.map((h) => h.kind)).toEqual(['received', 'decided', 'one']);
        expect((await leads.list({ limit: 5, status: 'delivered' })).items.map((i) => i.leadId)).toEqual([
            lead.leadKey,
        ]);
    });

    it('when a decision is saved then its rows come back with ETags a commit can use, and calls in flight round-trip', async () => {
        const { leads } = stores('Saved');
        const lead = leadAt('2026-11-21T06:00:00.000Z');
        await leads.create({
            leadId: lead.leadKey,
            lead,
            raw: new Uint8Array([1]),
            now: new Date('2026-11-21T06:00:01Z'),
        });
        const ref = { leadId: lead.leadKey, receivedAt: lead.receivedAt };
        const at = '2026-11-21T06:00:02.000Z';
        const calls = [{ attempt: 1, run: 'lead-x', since: at }];
        const decision = decide(lead, config, at, { availableTargets: new Set(['leadWebhook']) });
        const written = await leads.saveDecision(
            ref,
            decision,
            'delivering',
            [
                { target: 'a', role: 'notify', status: 'pending', attempts: 0, updatedAt: at, inFlight: calls },
                { target: 'b', role: 'notify', status: 'skipped', attempts: 0, updatedAt: at, skippedReason: 'off' },
            ],
            new Date(at),
            { index: false },
        );
        const read = await leads.get(lead.leadKey);
        const listedBefore = await leads.list({ limit: 5, status: 'delivering' });

        const committed = await leads.commitDeliveries(ref, {
            deliveries: [
                { ...written[0]!, status: 'delivered', attempts: 1, inFlight: undefined, inDoubt: 1, created: true },
            ],
            unchanged: [written[1]!],
            status: 'delivered',
            completed: true,
            decision,
            history: { at, kind: 'delivery-delivered' },
            now: new Date(at),
        });
        const after = await leads.get(lead.leadKey);

        expect(written.map((d) => d.etag)).toEqual(read!.deliveries.map((d) => d.etag));
        expect(written.every((d) => typeof d.etag === 'string')).toBe(true);
        expect(read!.deliveries[0]!.inFlight).toEqual(calls);
        expect(listedBefore.items).toEqual([]);
        expect(committed).toEqual([
            expect.objectContaining({ target: 'a', status: 'delivered', etag: expect.any(String) }),
        ]);
        expect(after!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, inDoubt: 1, created: true });
        expect(after!.deliveries[1]!.created).toBeUndefined();
        expect(after!.deliveries[0]!.inFlight).toBeUndefined();
        expect(committed && committed[0]!.etag).toBe(after!.deliveries[0]!.etag);
        expect((await leads.list({ limit: 5, status: 'delivered' })).items).toEqual([
            expect.objectContaining({
                leadId: lead.leadKey,
                grade: decision.score.grade,
                outcome: decision.qualification.outcome,
                points: decision.score.points,
                completedAt: at,
            }),
        ]);
    });

    it('when forced attempts of two runs write at once, in the same millisecond, then each is counted and keeps its history row', async () => {
        const { leads } = stores('Race');
        const lead = leadAt('2026-11-21T06:00:00.000Z');
        await leads.create({ leadId: lead.leadKey, lead, raw: new Uint8Array([1]), now: new Date() });
        const at = '2026-11-21T06:00:02.000Z';
        const decision = decide(lead, config, at, { availableTargets: new Set(['leadWebhook']) });
        await leads.saveDecision(
            { leadId: lead.leadKey, receivedAt: lead.receivedAt },
            decision,
            'delivering',
            [{ target: 'leadWebhook', role: 'notify', status: 'pending', attempts: 0, updatedAt: at }],
            new Date(at),
        );
        const target: DeliveryTarget = {
            name: 'leadWebhook',
            type: 'webhook',
            role: 'notify',
            deliver: () => Promise.resolve({ action: 'sent', status: 200, externalId: 'x' }),
            checkHealth: (now) =>
                Promise.resolve({
                    target: 'leadWebhook',
                    type: 'webhook',
                    ok: true,
                    checkedAt: now.toISOString(),
                }),
        };
        const instant = new Date('2026-11-21T06:00:03.000Z');
        const deps = { leads, now: () => instant, logger: silent, target: () => target };

        await Promise.all(
            ['redeliver-a', 'redeliver-b'].flatMap((runId) =>
                [1, 2].map((attempt) =>
                    deliverToTarget(deps, {
                        leadId: lead.leadKey,
                        target: 'leadWebhook',
                        attempt,
                        force: true,
                        runId,
                        trace: {},
                    }),
                ),
            ),
        );

        const stored = (await leads.get(lead.leadKey))!;
        expect(stored.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 4 });
        const attempts = stored.history.filter((e) => e.kind === 'delivery-delivered').map((e) => e.detail);
        expect(attempts.map((d) => `${d?.run}#${d?.attempt}`).sort()).toEqual([
            'redeliver-a#1',
            'redeliver-a#2',
            'redeliver-b#1',
            'redeliver-b#2',
        ]);
    });

    it('when an abandoned claim is redelivered then its row is claimed again with the owner and a claim-expired history row per target', async () => {
        const { leads } = stores('Expired');
        const lead = leadAt('2026-11-21T06:00:00.000Z');
        await leads.create({ leadId: lead.leadKey, lead, raw: new Uint8Array([1]), now: new Date() });
        const at = '2026-11-21T06:00:02.000Z';
        const decision = decide(lead, config, at, { availableTargets: new Set(['leadWebhook', 'hubspot']) });
        const row = (target: string) =>
            ({ target, role: 'notify', status: 'pending', attempts: 0, updatedAt: at }) as const;
        await leads.saveDecision(
            { leadId: lead.leadKey, receivedAt: lead.receivedAt },
            decision,
            'delivering',
            [row('leadWebhook'), row('hubspot')],
            new Date(at),
        );
        const now = new Date(Date.parse(at) + (config.delivery.deadlineMinutes + 11) * 60_000);
        const deps = {
            leads,
            starter: new FakeStarter(),
            logger: silent,
            now: () => now,
            traceCarrier: () => ({}),
            delivery: config.delivery,
        };

        const first = await requestRedelivery(deps, lead.leadKey, undefined);
        const second = await requestRedelivery(deps, lead.leadKey, 'hubspot');
        const after = await leads.get(lead.leadKey);

        expect(first).toMatchObject({ kind: 'started', targets: ['hubspot', 'leadWebhook'] });
        expect(second).toMatchObject({ kind: 'being-delivered', target: 'hubspot' });
        const instanceId = first.kind === 'started' ? first.instanceId : '';
        expect(after!.deliveries.map((d) => [d.target, d.status, d.claimedBy, d.updatedAt])).toEqual([
            ['hubspot', 'pending', instanceId, now.toISOString()],
            ['leadWebhook', 'pending', instanceId, now.toISOString()],
        ]);
        expect(
            after!.history
                .filter((h) => h.kind === 'claim-expired')
                .map((h) => h.detail)
                .sort((a, b) => String(a?.target).localeCompare(String(b?.target))),
        ).toEqual([
            { target: 'hubspot', status: 'pending', since: at, reason: 'deadline-passed' },
            { target: 'leadWebhook', status: 'pending', since: at, reason: 'deadline-passed' },
        ]);
    });

    it('when leads span months then the list is newest first, filtered by status and since, and pages with a token', async () => {
        const { leads } = stores('List');
        const times = [
            '2026-09-30T23:59:59.000Z',
            '2026-10-15T10:00:00.000Z',
            '2026-11-20T10:00:00.000Z',
            '2026-11-21T05:00:00.000Z',
        ];
        const created = [];
        for (const [i, t] of times.entries()) {
            const lead = leadAt(t, JSON.stringify({ userDetails: { email: `p${i}@contoso.com` }, actionCode: 'INS' }));
            await leads.create({ leadId: lead.leadKey, lead, raw: new Uint8Array(), now: new Date(t) });
            created.push(lead.leadKey);
        }
        await leads.setStatus({ leadId: created[1]!, receivedAt: times[1]! }, 'failed', {
            at: times[1]!,
            kind: 'test',
        });

        const first = await leads.list({ limit: 2 });
        const second = await leads.list({ limit: 2, continuationToken: first.continuationToken });
        const failed = await leads.list({ limit: 10, status: 'failed' });
        const recent = await leads.list({ limit: 10, since: new Date('2026-11-01T00:00:00Z') });

        expect([...first.items, ...second.items].map((i) => i.leadId)).toEqual([...created].reverse());
        expect(failed.items.map((i) => i.leadId)).toEqual([created[1]]);
        expect(recent.items.map((i) => i.leadId)).toEqual([created[3], created[2]]);
    });

    it('when a continuation token is crafted then the listing refuses it instead of walking months for ever', async () => {
        const { leads } = stores('Crafted');
        const crafted = (cursor: object) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

        for (const m of ['202600', '999999', '202613']) {
            await expect(leads.list({ limit: 10, continuationToken: crafted({ m }) })).rejects.toBeInstanceOf(
                ValidationError,
            );
        }
    });

    it('when leads are listed by how long they have had their status then statusAt bounds the listing', async () => {
        const { leads } = stores('StatusAt');
        const ids = [];
        for (const [i, at] of ['2026-11-21T05:00:00.000Z', '2026-11-21T06:00:00.000Z'].entries()) {
            const lead = leadAt(at, JSON.stringify({ userDetails: { email: `s${i}@contoso.com` }, actionCode: 'INS' }));
            await leads.create({ leadId: lead.leadKey, lead, raw: new Uint8Array(), now: new Date(at) });
            await leads.setStatus({ leadId: lead.leadKey, receivedAt: at }, 'delivering', { at, kind: 'test' });
            ids.push(lead.leadKey);
        }
        const between = new Date('2026-11-21T05:30:00.000Z');

        const stuck = await leads.list({ limit: 10, status: 'delivering', statusBefore: between });
        const fresh = await leads.list({ limit: 10, status: 'delivering', statusSince: between });

        expect(stuck.items.map((i) => [i.leadId, i.statusAt])).toEqual([[ids[0], '2026-11-21T05:00:00.000Z']]);
        expect(fresh.items.map((i) => [i.leadId, i.statusAt])).toEqual([[ids[1], '2026-11-21T06:00:00.000Z']]);
    });

    it('when the raw body is larger than a table property then it is kept in a blob', async () => {
        const { leads, blobs } = stores('Big');
        const lead = leadAt('2026-11-21T06:00:00.000Z');
        const raw = new TextEncoder().encode(JSON.stringify({ description: 'x'.repeat(100_000) }));

        await leads.create({ leadId: lead.leadKey, lead, raw, now: new Date() });

        expect((await leads.get(lead.leadKey))!.rawRef).toBe(`blob:${lead.leadKey}.json`);
        expect((await blobs.get(`${lead.leadKey}.json`))?.byteLength).toBe(raw.byteLength);
    });

    it('when a body within the size limit fills every field then the lead still fits its entity', async () => {
        const { leads } = stores('Huge');
        const big = (c: string) => c.repeat(23_000);
        const body = JSON.stringify({
            userDetails: {
                firstName: big('a'),
                lastName: big('b'),
                email: `${big('c')}@contoso.com`,
                phone: big('1'),
                country: big('d'),
                company: big('e'),
                title: big('f'),
            },
            leadSource: big('g'),
            actionCode: big('h'),
            offerTitle: big('i'),
            description: big('j'),
        });
        expect(body.length).toBeLessThan(262_144);
        const lead = parseMarketplaceCallback(body, { receivedAt: '2026-11-21T06:00:00.000Z' });

        const created = await leads.create({
            leadId: lead.leadKey,
            lead,
            raw: new TextEncoder().encode(body),
            now: new Date(),
        });

        expect(created.created).toBe(true);
        expect((await leads.get(lead.leadKey))!.lead).toEqual(lead);
    });

    it('when parked leads, checkpoints and invalid payloads are stored then they read back', async () => {
        const { tables, blobs } = stores('Ops');
        const parked = createTableParkedLeadStore(tables);
        const checkpoints = createTableCheckpointStore(tables);
        const invalid = createTableInvalidPayloadStore(tables, blobs);
        const item = {
            id: 'pk1',
            messageId: 'm',
            reason: 'MaxDeliveryCountExceeded',
            body: '{"x":1}',
            properties: { a: 'b' },
            parkedAt: '2026-11-21T06:00:00.000Z',
            replayCount: 0,
        };

        await parked.park(item);
        await parked.park({ ...item, reason: 'other' });
        const replayed = await parked.markReplayed('pk1', new Date('2026-11-21T07:00:00Z'));
        await checkpoints.set('w', '2026-11-21T06:00:00.000Z');
        const id1 = await invalid.save(new TextEncoder().encode('<xml/>'), 'not-json', new Date());
        const id2 = await invalid.save(new TextEncoder().encode('<xml/>'), 'not-json', new Date());

        expect((await parked.list(10)).items).toEqual([
            { ...item, replayCount: 1, replayedAt: '2026-11-21T07:00:00.000Z' },
        ]);
        expect(replayed.replayCount).toBe(1);
        expect(await checkpoints.get('w')).toBe('2026-11-21T06:00:00.000Z');
        expect(await checkpoints.get('none')).toBeUndefined();
        expect(id1).toBe(id2);
    });

    it('when the marketplace table has rows then the row source pages them, filtered by Timestamp, and a missing table has none', async () => {
        const client = TableClient.fromConnectionString(azurite.connectionString, 'MarketplaceLeads', {
            allowInsecureConnection: true,
        });
        const missing = createMarketplaceRowSource(
            TableClient.fromConnectionString(azurite.connectionString, 'NoSuchTable', {
                allowInsecureConnection: true,
            }),
        );
        await client.createTable();
        for (let i = 0; i < 5; i++)
            await client.createEntity({ partitionKey: 'p', rowKey: `r${i}`, ActionCode: 'INS' });
        const source = createMarketplaceRowSource(client);

        const pages = [];
        for await (const page of source.pages(new Date(Date.now() - 60_000), 2)) pages.push(page);
        const later = [];
        for await (const page of source.pages(new Date(Date.now() + 60_000), 2)) later.push(...page);
        const none = [];
        for await (const page of missing.pages(undefined, 2)) none.push(...page);

        expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
        expect(pages[0]![0]!.entity.ActionCode).toBe('INS');
        expect(Date.parse(pages[0]![0]!.timestamp)).toBeGreaterThan(0);
        expect(later).toHaveLength(0);
        expect(none).toHaveLength(0);
    });

    it('when the marketplace table does not exist then the poller succeeds quietly, logging at debug level only', async () => {
        const { tables } = stores('NoMarketplaceTable');
        const checkpoints = createTableCheckpointStore(tables);
        const absent = createMarketplaceRowSource(
            TableClient.fromConnectionString(azurite.connectionString, 'MarketplaceLeadsAbsent', {
                allowInsecureConnection: true,
            }),
        );
        const poll = createMarketplaceTablePoller(() => ({ ...intakeDeps(), checkpoints, rows: absent }));
        const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: undefined } as never;
        const logged: { level: string; line: string }[] = [];
        const invocation = () =>
            new InvocationContext({
                functionName: 'marketplaceTablePoller',
                invocationId: 'poll',
                logHandler: (level, ...args) => logged.push({ level, line: args.map(String).join(' ') }),
            });

        await poll(timer, invocation());
        // With a watermark the second poll is a filtered query, which must be quiet on a missing table too.
        await checkpoints.set('marketplace-leads-table', '2026-11-21T06:00:00.000Z');
        await poll(timer, invocation());

        expect(logged.filter((l) => l.level !== 'trace' && l.level !== 'debug')).toEqual([]);
        expect(logged.length).toBeGreaterThanOrEqual(2);
    });
});
