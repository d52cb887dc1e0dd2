import { readFileSync } from 'node:fs';

import { AzureNamedKeyCredential, generateTableSas, TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

import { createBlobRawBodyStore } from '../../shared/adapters/blob/createBlobRawBodyStore';
import { createMarketplaceRowEraser } from '../../shared/adapters/tables/createMarketplaceRowEraser';
import { createTableErasureLog } from '../../shared/adapters/tables/createTableErasureLog';
import { createTableInvalidPayloadStore } from '../../shared/adapters/tables/createTableInvalidPayloadStore';
import { createTableLeadEraser } from '../../shared/adapters/tables/createTableLeadEraser';
import { createTableLeadRepository } from '../../shared/adapters/tables/createTableLeadRepository';
import { createTableParkedLeadStore } from '../../shared/adapters/tables/createTableParkedLeadStore';
import { createTablePayloadEraser } from '../../shared/adapters/tables/createTablePayloadEraser';
import { deliveryEntity, historyEntity } from '../../shared/adapters/tables/leadEntities';
import { createTableClientFactory } from '../../shared/adapters/tables/tableClients';
import { acceptLead } from '../../shared/app/acceptLead';
import { decideAndDeliver } from '../../shared/app/decideAndDeliver';
import { decideLead } from '../../shared/app/decideLead';
import {
    emailHashOf,
    emailKeyOf,
    emptyCounts,
    type ErasureReport,
    parseMarketplaceCallback,
    parsePipelineConfig,
    PermanentError,
} from '../../shared/domain/index';
import type { Logger } from '../../shared/ports/Logger';
import { RecordingPublisher } from '../fakes/fakes';
import { type AzuriteInstance, startAzurite } from '../support/azurite';

let azurite: AzuriteInstance;
beforeAll(async () => {
    azurite = await startAzurite();
});
afterAll(async () => {
    await azurite.stop();
});

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const encode = (text: string) => new TextEncoder().encode(text);
const hashKey = new Uint8Array(32).fill(7);

function stores(prefix: string) {
    const connection = { connectionString: azurite.connectionString };
    const tables = createTableClientFactory(connection, prefix);
    const container = `raw-${prefix.toLowerCase()}`;
    const blobs = createBlobRawBodyStore(connection, container, () => tables('RawBodies'));
    return {
        tables,
        blobs,
        container: BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container),
        leads: createTableLeadRepository(tables, blobs),
        eraser: createTableLeadEraser(tables, blobs),
        payloads: createTablePayloadEraser(tables, blobs),
        log: createTableErasureLog(tables),
    };
}

const callback = (email: string, offer: string, description = 'Call me', action = 'PLT') =>
    JSON.stringify({
        userDetails: { email, firstName: 'Ilse', lastName: 'Erasmus', phone: '+49 30 5550 1234', company: 'Fabrikam' },
        actionCode: action,
        offerTitle: offer,
        description,
    });
const lead = (body: string, at = '2026-11-21T06:00:00.000Z') => parseMarketplaceCallback(body, { receivedAt: at });

async function rowsOf(client: TableClient, filter: string) {
    const out: Record<string, unknown>[] = [];
    for await (const e of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(e);
    return out;
}

async function allPages(
    find: (token?: string) => Promise<{ live: string[]; erased: string[]; continuationToken?: string }>,
) {
    const live: string[] = [];
    const erased: string[] = [];
    let token: string | undefined;
    do {
        const page = await find(token);
        live.push(...page.live);
        erased.push(...page.erased);
        token = page.continuationToken;
    } while (token !== undefined);
    return { live: live.sort(), erased: erased.sort() };
}

describe('raw bodies kept as blobs', () => {
    it('when a body is stored, then the blob holds only ciphertext, reads back whole, and once removed its key is gone and it reads as nothing', async () => {
        const { blobs, container, tables } = stores('Cipher');
        const body = encode(callback('ilse.blob@fabrikam-cipher.example', 'Offer', 'y'.repeat(70_000)));

        await blobs.put('lk-cipher.json', body);
        const stored = await container.getBlockBlobClient('lk-cipher.json').downloadToBuffer();

        expect(stored.includes(Buffer.from('ilse.blob@fabrikam-cipher.example'))).toBe(false);
        expect(Buffer.from((await blobs.get('lk-cipher.json'))!).equals(Buffer.from(body))).toBe(true);
        expect(await blobs.delete('lk-cipher.json')).toBe(true);
        expect(await blobs.get('lk-cipher.json')).toBeUndefined();
        expect(await rowsOf(await tables('RawBodies'), "PartitionKey eq 'body-key'")).toEqual([]);
        expect(await blobs.delete('lk-cipher.json')).toBe(false);
    });

    it('when a body was stored before bodies were encrypted, then it is read as it is', async () => {
        const { blobs, container } = stores('Legacy');
        await container.createIfNotExists();
        await container.getBlockBlobClient('lk-legacy.json').uploadData(Buffer.from('{"legacy":true}'));

        expect(new TextDecoder().decode(await blobs.get('lk-legacy.json'))).toBe('{"legacy":true}');
    });
});

describe("finding and erasing a person's leads (Azurite)", () => {
    it('when a person is looked up by email, then all their leads are found by key (an old row without the key too, which then gets it), and an offer narrows them', async () => {
        const { leads, eraser, tables } = stores('Find');
        const a1 = lead(callback('Ilse.Erasmus@Fabrikam-Find.example', 'Offer One'));
        const a2 = lead(callback('ilse.erasmus@fabrikam-find.example', 'Offer Two', 'Other notes', 'INS'));
        const b = lead(callback('someone.else@fabrikam-find.example', 'Offer One'));
        for (const l of [a1, a2, b])
            await leads.create({ leadId: l.leadKey, lead: l, raw: encode('{}'), now: new Date() });
        // A lead row written before rows carried the key.
        const leadsTable = await tables('Leads');
        const { emailKey: _k, ...legacy } = await leadsTable.getEntity<Record<string, unknown>>(a2.leadKey, 'lead');
        await leadsTable.upsertEntity({ ...legacy, partitionKey: a2.leadKey, rowKey: 'lead' }, 'Replace');
        const emailKey = emailKeyOf('ilse.erasmus@fabrikam-find.example');

        const found = await allPages((t) => eraser.findPage({ emailKey }, t));
        const byOffer = await allPages((t) => eraser.findPage({ emailKey, offer: 'offer one' }, t));

        expect(found).toEqual({ live: [a1.leadKey, a2.leadKey].sort(), erased: [] });
        expect(byOffer.live).toEqual([a1.leadKey]);
        expect((await leadsTable.getEntity(a2.leadKey, 'lead')).emailKey).toBe(emailKey);
    });

    it('when a lead is erased, then only a tombstone with no personal data is left under its key, its index, journey and blob rows go, and erasing again changes nothing', async () => {
        const { leads, eraser, tables, blobs } = stores('Erase');
        const email = 'ilse.erase@fabrikam-erase.example';
        const a = lead(callback(email, 'Offer', 'z'.repeat(70_000)));
        await leads.create({
            leadId: a.leadKey,
            lead: a,
            raw: encode(callback(email, 'Offer', 'z'.repeat(70_000))),
            now: new Date(),
        });
        const leadsTable = await tables('Leads');
        await leadsTable.upsertEntity(
            deliveryEntity(a.leadKey, {
                target: 'hubspot',
                role: 'outreach',
                status: 'delivered',
                attempts: 1,
                externalId: '1001',
                updatedAt: 'x',
            }),
        );
        await leadsTable.upsertEntity(
            historyEntity(a.leadKey, {
                at: '2026-11-21T07:00:00.000Z',
                kind: 'redelivery-requested',
                detail: { instanceId: 'redeliver-x-1-aa' },
            }),
        );
        const emailHash = emailHashOf(email, hashKey);

        const first = await eraser.erase(a.leadKey, {
            erasureId: 'er-1',
            erasedAt: '2026-12-01T00:00:00.000Z',
            emailHash,
        });
        const second = await eraser.erase(a.leadKey, {
            erasureId: 'er-2',
            erasedAt: '2026-12-02T00:00:00.000Z',
            emailHash,
        });

        expect(first?.counts).toMatchObject({ indexRows: 1, journeyRows: 1, rawBlobs: 1, leadRows: 4 });
        expect(first?.traces.records).toEqual([{ target: 'hubspot', recordId: '1001', leadId: a.leadKey }]);
        expect(first?.traces.runIds).toEqual(
            expect.arrayContaining([
                `lead-${a.leadKey}`,
                `lead-${a.leadKey}:hubspot`,
                'redeliver-x-1-aa',
                'redeliver-x-1-aa:hubspot',
            ]),
        );
        expect(second).toMatchObject({ traces: { tombstoned: true, records: [] }, counts: { leadRows: 0 } });
        const partition = await rowsOf(leadsTable, `PartitionKey eq '${a.leadKey}'`);
        expect(partition).toHaveLength(1);
        const { etag: _e, timestamp: _t, ...tombstone } = partition[0]!;
        expect(tombstone).toEqual({
            partitionKey: a.leadKey,
            rowKey: 'lead',
            status: 'erased',
            erasureId: 'er-1',
            erasedAt: '2026-12-01T00:00:00.000Z',
            updatedAt: '2026-12-01T00:00:00.000Z',
            receivedAt: a.receivedAt,
            emailHash,
        });
        expect(await rowsOf(await tables('LeadsByTime'), `leadId eq '${a.leadKey}'`)).toEqual([]);
        expect(await rowsOf(await tables('Journeys'), `leadId eq '${a.leadKey}'`)).toEqual([]);
        expect(await blobs.get(`${a.leadKey}.json`)).toBeUndefined();
        expect(await leads.get(a.leadKey)).toBeUndefined();
        expect(await allPages((t) => eraser.findPage({ emailKey: emailKeyOf(email), emailHash }, t))).toEqual({
            live: [],
            erased: [a.leadKey],
        });
    });

    it('when an erased lead arrives again, then it is a duplicate that stores and sends nothing; the same person a day later is a new lead', async () => {
        const { leads, eraser } = stores('Again');
        const body = callback('ilse.again@fabrikam-again.example', 'Offer');
        const publisher = new RecordingPublisher();
        const deps = (at: string) => ({
            leads,
            publisher,
            logger: silent,
            now: () => new Date(at),
            traceCarrier: () => ({}),
        });
        const first = await acceptLead(deps('2026-11-21T06:00:00.000Z'), lead(body), encode(body));
        await eraser.erase(first.leadId, { erasureId: 'er-1', erasedAt: '2026-11-22T00:00:00.000Z' });
        publisher.sent.length = 0;

        const late = await acceptLead(
            deps('2026-11-21T06:04:00.000Z'),
            lead(body, '2026-11-21T06:04:00.000Z'),
            encode(body),
        );
        const dayLater = await acceptLead(
            deps('2026-11-22T06:00:00.000Z'),
            lead(body, '2026-11-22T06:00:00.000Z'),
            encode(body),
        );

        expect(late).toEqual({ leadId: first.leadId, duplicate: true });
        expect(await leads.get(first.leadId)).toBeUndefined();
        expect(dayLater.duplicate).toBe(false);
        expect(dayLater.leadId).not.toBe(first.leadId);
        expect((await leads.get(dayLater.leadId))?.lead.contact.email).toBe('ilse.again@fabrikam-again.example');
        expect(publisher.sent.map((s) => s.options.messageId)).toEqual([dayLater.leadId]);
    });

    it('when a replayed lead event reaches the pipeline of an erased lead, then the decision (and the first step) ends it as erased, calls no target and writes nothing', async () => {
        const { leads, eraser, tables } = stores('Replay');
        const body = callback('ilse.replay@fabrikam-replay.example', 'Offer');
        const l = lead(body);
        await leads.create({ leadId: l.leadKey, lead: l, raw: encode(body), now: new Date() });
        await eraser.erase(l.leadKey, { erasureId: 'er-1', erasedAt: '2026-11-22T00:00:00.000Z' });
        const config = parsePipelineConfig(JSON.parse(readFileSync('config/pipeline.json', 'utf8')));

        const plan = await decideLead(
            { leads, config, enabledTargets: new Set(), logger: silent },
            l.leadKey,
            new Date(),
            'lead-x',
        );

        const called: string[] = [];
        const first = await decideAndDeliver(
            {
                leads,
                config,
                enabledTargets: new Set(['leadWebhook']),
                target: (name) => {
                    called.push(name);
                    return undefined;
                },
                logger: silent,
                now: () => new Date(),
            },
            { leadId: l.leadKey, now: new Date(), runId: 'lead-x' },
        );

        expect(plan).toMatchObject({ finalStatus: 'erased', targets: [] });
        expect(first).toMatchObject({ finalStatus: 'erased', targets: [], attempts: [] });
        expect(called).toEqual([]);
        expect(await rowsOf(await tables('Leads'), `PartitionKey eq '${l.leadKey}'`)).toHaveLength(1);
    });

    it("when leads are past their period, then receivedBefore pages them and raw bodies go by their lead's arrival, blobs through their lead", async () => {
        const { leads, eraser, tables, blobs } = stores('Age');
        const old = lead(callback('ilse.old@fabrikam-age.example', 'Offer'), '2026-09-01T00:00:00.000Z');
        const oldBig = lead(
            callback('ilse.big@fabrikam-age.example', 'Offer', 'q'.repeat(70_000)),
            '2026-09-02T00:00:00.000Z',
        );
        const young = lead(callback('ilse.young@fabrikam-age.example', 'Offer'), '2026-11-20T00:00:00.000Z');
        for (const l of [old, young])
            await leads.create({ leadId: l.leadKey, lead: l, raw: encode('{"a":1}'), now: new Date() });
        await leads.create({ leadId: oldBig.leadKey, lead: oldBig, raw: encode('b'.repeat(70_000)), now: new Date() });
        const cutoff = new Date('2026-10-01T00:00:00.000Z');

        const page = await eraser.receivedBefore(cutoff, 10);
        const removed = await eraser.removeRawBodiesBefore(cutoff, 10);

        expect(page.leadIds.sort()).toEqual([old.leadKey, oldBig.leadKey].sort());
        expect(removed).toBe(2);
        expect(await eraser.rawBody(old.leadKey)).toBeUndefined();
        expect(await eraser.rawBody(oldBig.leadKey)).toBeUndefined();
        expect(await blobs.get(`${oldBig.leadKey}.json`)).toBeUndefined();
        expect((await (await tables('Leads')).getEntity(oldBig.leadKey, 'lead')).rawRef).toBe('expired');
        expect(new TextDecoder().decode(await eraser.rawBody(young.leadKey))).toBe('{"a":1}');
        expect(await eraser.removeRawBodiesBefore(cutoff, 10)).toBe(0);
    });
});

describe('invalid payloads and parked events (Azurite)', () => {
    it('when a person is erased, then the invalid payloads holding the address go (inline and blob) and the parked events of their leads', async () => {
        const { tables, blobs, payloads } = stores('Payloads');
        const invalid = createTableInvalidPayloadStore(tables, blobs);
        const email = 'ilse.payload@fabrikam-payload.example';
        const small = await invalid.save(encode(`["${email.toUpperCase()}"`), 'not-an-object', new Date());
        const large = await invalid.save(encode(`<x>${email}</x>${'p'.repeat(70_000)}`), 'not-json', new Date());
        const other = await invalid.save(encode('<x>nobody@fabrikam-payload.example</x>'), 'not-json', new Date());
        const parked = createTableParkedLeadStore(tables);
        const park = (id: string, body: string) =>
            parked.park({
                id,
                messageId: id,
                reason: 'x',
                body,
                properties: {},
                parkedAt: new Date().toISOString(),
                replayCount: 0,
            });
        await park('pk-lead', JSON.stringify({ leadId: 'lk-theirs' }));
        await park('pk-mail', `contact ${email}`);
        await park('pk-other', JSON.stringify({ leadId: 'lk-someone-else' }));

        const found = await payloads.invalidPayloadsWith(emailKeyOf(email));
        const deleted = await payloads.deleteInvalidPayloads(found.items.map((i) => i.id));
        const theirParked = await payloads.parkedFor(['lk-theirs'], emailKeyOf(email));

        expect(found.items.map((i) => i.id).sort()).toEqual([small, large].sort());
        expect(found.items.find((i) => i.id === large)?.text).toContain(email);
        expect(deleted).toBe(2);
        expect((await payloads.invalidPayloadsWith(emailKeyOf(email))).items).toEqual([]);
        expect(await blobs.get(`invalid/${large}`)).toBeUndefined();
        expect(await rowsOf(await tables('RawBodies'), "PartitionKey eq 'invalid'")).toHaveLength(1);
        expect((await rowsOf(await tables('RawBodies'), "PartitionKey eq 'invalid'"))[0]!.rowKey).toBe(other);
        expect(theirParked.map((p) => p.id).sort()).toEqual(['pk-lead', 'pk-mail']);
        expect(await payloads.deleteParked(theirParked.map((p) => p.id))).toBe(2);
        expect((await parked.list(10)).items.map((p) => p.id)).toEqual(['pk-other']);
    });

    it('when invalid payloads and parked events are past their period, then exactly those go', async () => {
        const { tables, blobs, payloads } = stores('PayloadAge');
        const invalid = createTableInvalidPayloadStore(tables, blobs);
        await invalid.save(encode('old'), 'not-json', new Date('2026-09-01T00:00:00.000Z'));
        const young = await invalid.save(encode('young'), 'not-json', new Date('2026-11-30T00:00:00.000Z'));
        const parked = createTableParkedLeadStore(tables);
        for (const [id, at] of [
            ['pk-old', '2026-09-01T00:00:00.000Z'],
            ['pk-young', '2026-11-30T00:00:00.000Z'],
        ] as const) {
            await parked.park({
                id,
                messageId: id,
                reason: 'x',
                body: '{}',
                properties: {},
                parkedAt: at,
                replayCount: 0,
            });
        }
        const cutoff = new Date('2026-11-01T00:00:00.000Z');

        expect(await payloads.removeInvalidPayloadsBefore(cutoff, 10)).toBe(1);
        expect(await payloads.removeParkedBefore(cutoff, 10)).toBe(1);
        expect((await rowsOf(await tables('RawBodies'), "PartitionKey eq 'invalid'")).map((r) => r.rowKey)).toEqual([
            young,
        ]);
        expect((await parked.list(10)).items.map((p) => p.id)).toEqual(['pk-young']);
    });
});

describe('the erasure log (Azurite)', () => {
    const report = (erasureId: string, requestedAt: string): ErasureReport => ({
        erasureId,
        status: 'running',
        stage: 'finding',
        requestedAt,
        scope: { email: true, offer: false, leadIds: 0, marketplaceTable: false },
        leadIds: [],
        counts: emptyCounts(),
        targets: [],
        marketplaceTable: { status: 'not-requested', rows: 0 },
    });

    it('when an erasure finishes, then what it looked for is dropped and only ids and counts stay; the hash key is made once', async () => {
        const { log, tables } = stores('Log');
        const key = await log.hashKey();
        const query = { emailKey: 'ek-1', emailHash: 'eh-1', leadIds: [], marketplaceTable: false };
        await log.begin(report('er-20261201T000000Z-00000001', '2026-12-01T00:00:00.000Z'), query);

        expect(await log.query('er-20261201T000000Z-00000001')).toEqual(query);
        await log.save({
            report: { ...report('er-20261201T000000Z-00000001', '2026-12-01T00:00:00.000Z'), stage: 'erasing' },
            pending: [],
        });
        expect(await log.query('er-20261201T000000Z-00000001')).toEqual(query);
        await log.finish({
            report: {
                ...report('er-20261201T000000Z-00000001', '2026-12-01T00:00:00.000Z'),
                status: 'completed',
                stage: 'done',
            },
            pending: [{ target: 'marketo', recordId: '7', leadId: 'lk-1' }],
        });

        expect(await log.query('er-20261201T000000Z-00000001')).toBeUndefined();
        expect(await log.get('er-20261201T000000Z-00000001')).toMatchObject({
            report: { status: 'completed' },
            pending: [{ target: 'marketo', recordId: '7' }],
        });
        const row = await (
            await tables('Privacy')
        ).getEntity<Record<string, unknown>>('erasure', 'er-20261201T000000Z-00000001');
        expect(JSON.stringify(row)).not.toMatch(/ek-1|eh-1/);
        expect(key).toHaveLength(32);
        expect(Buffer.from(await createTableErasureLog(tables).hashKey()).equals(Buffer.from(key))).toBe(true);
    });

    it('when erasures are listed, then the newest come first, a page at a time', async () => {
        const { log } = stores('List');
        for (const [id, at] of [
            ['er-20261101T000000Z-00000001', '2026-11-01T00:00:00.000Z'],
            ['er-20261201T000000Z-00000002', '2026-12-01T00:00:00.000Z'],
            ['er-20261115T000000Z-00000003', '2026-11-15T00:00:00.000Z'],
        ] as const) {
            await log.begin(report(id, at), { leadIds: [], marketplaceTable: false });
        }

        const first = await log.list(2);
        const rest = await log.list(2, first.continuationToken);

        expect(first.items.map((r) => r.erasureId)).toEqual([
            'er-20261201T000000Z-00000002',
            'er-20261115T000000Z-00000003',
        ]);
        expect(rest).toEqual({ items: [expect.objectContaining({ erasureId: 'er-20261101T000000Z-00000001' })] });
    });
});

describe('the retention audit (Azurite)', () => {
    it('when retention runs are recorded, then they are listed newest first with their periods and counts, as many as asked', async () => {
        const { log, tables } = stores('RetentionLog');
        const run = (runId: string, at: string, leads: number) => ({
            runId,
            at,
            retentionDays: { leads: 365, rawBodies: 30 },
            removed: { leads, rawBodies: 0 },
            complete: true,
        });
        await log.recordRetention(run('rt-20261129T033000Z-00000001', '2026-11-29T03:30:00.000Z', 1));
        await log.recordRetention(run('rt-20261201T033000Z-00000003', '2026-12-01T03:30:00.000Z', 3));
        await log.recordRetention(run('rt-20261130T033000Z-00000002', '2026-11-30T03:30:00.000Z', 2));

        const newest = await log.retentionRuns(2);

        expect(newest.map((r) => r.removed.leads)).toEqual([3, 2]);
        expect(newest[0]).toEqual(run('rt-20261201T033000Z-00000003', '2026-12-01T03:30:00.000Z', 3));
        expect(await rowsOf(await tables('Privacy'), "PartitionKey eq 'retention'")).toHaveLength(3);
    });
});

describe("the marketplace's own table (Azurite)", () => {
    const info = (email: string) => JSON.stringify({ FirstName: 'Ilse', Email: email });

    it("when the identity may write there, then the person's rows are found by the address in CustomerInfo and deleted", async () => {
        const client = TableClient.fromConnectionString(azurite.connectionString, 'MarketplaceLeads', {
            allowInsecureConnection: true,
        });
        await client.createTable();
        await client.createEntity({
            partitionKey: 'p',
            rowKey: 'theirs',
            CustomerInfo: info('Ilse.Row@Fabrikam-Row.example'),
        });
        await client.createEntity({
            partitionKey: 'p',
            rowKey: 'other',
            CustomerInfo: info('other@fabrikam-row.example'),
        });
        const rows = createMarketplaceRowEraser(client);

        const found = await rows.rowsWith(emailKeyOf('ilse.row@fabrikam-row.example'));
        const deleted = await rows.deleteRows(
            found.rows.map((r) => ({ partitionKey: String(r.partitionKey), rowKey: String(r.rowKey) })),
        );

        expect(found.rows.map((r) => r.rowKey)).toEqual(['theirs']);
        expect(deleted).toBe(1);
        expect((await rowsOf(client, "PartitionKey eq 'p'")).map((r) => r.rowKey)).toEqual(['other']);
    });

    it("when the identity may only read there (the poller's role), then deleting is refused as no-write-access", async () => {
        const admin = TableClient.fromConnectionString(azurite.connectionString, 'MarketplaceLeadsRo', {
            allowInsecureConnection: true,
        });
        await admin.createTable();
        await admin.createEntity({
            partitionKey: 'p',
            rowKey: 'theirs',
            CustomerInfo: info('ilse.ro@fabrikam-ro.example'),
        });
        const accountKey = /AccountKey=([^;]+)/.exec(azurite.connectionString)![1]!;
        const sas = generateTableSas(
            'MarketplaceLeadsRo',
            new AzureNamedKeyCredential('devstoreaccount1', accountKey),
            {
                permissions: { query: true },
                expiresOn: new Date(Date.now() + 3_600_000),
            },
        );
        const tableUrl = /TableEndpoint=([^;]+)/.exec(azurite.connectionString)![1]!;
        const readOnly = new TableClient(`${tableUrl}?${sas}`, 'MarketplaceLeadsRo', { allowInsecureConnection: true });
        const rows = createMarketplaceRowEraser(readOnly);

        const found = await rows.rowsWith(emailKeyOf('ilse.ro@fabrikam-ro.example'));
        const refusal = await rows.deleteRows([{ partitionKey: 'p', rowKey: 'theirs' }]).catch((err: unknown) => err);

        expect(found.rows).toHaveLength(1);
        expect(refusal).toBeInstanceOf(PermanentError);
        expect((refusal as PermanentError).details).toEqual({ status: 403, code: 'no-write-access' });
    });
});
