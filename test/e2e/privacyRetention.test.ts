/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are loosely typed JSON */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

import { createBlobRawBodyStore } from '../../shared/adapters/blob/createBlobRawBodyStore';
import { createTableInvalidPayloadStore } from '../../shared/adapters/tables/createTableInvalidPayloadStore';
import { createTableLeadRepository } from '../../shared/adapters/tables/createTableLeadRepository';
import { createTableParkedLeadStore } from '../../shared/adapters/tables/createTableParkedLeadStore';
import { readJson } from '../../shared/adapters/tables/jsonColumns';
import { createTableClientFactory } from '../../shared/adapters/tables/tableClients';
import { parseMarketplaceCallback } from '../../shared/domain/index';
import { type StartedHost, waitFor } from '../support/host';
import { removeHostData } from '../support/removeHostData';
import {
    api,
    getLead,
    postLead,
    SECRET,
    startPipelineHost,
    testPipelineConfig,
    waitForFinal,
} from './support/pipelineHost';
import { startWebhookReceiver } from './support/webhookReceiver';

/*
 * Retention on the local host with disk storage, across restarts: data of every kind is stored at known ages (the
 * old ones written straight into storage, dated as they would have been), the sweeper runs after a restart, and
 * exactly what is past its period is gone; another restart and more runs remove nothing else.
 */

const DAY = 86_400_000;
/** Durable histories: 0.0004 days is about 35 s, so runs of one host are past it when the next host's are not. */
/** Between the two hosts' runs: several sweeps (every 3 s) and polls, and well under the 35 s period. */
const RUN_GAP_MS = 15_000;
const retentionDays = { leads: 30, rawBodies: 10, invalidPayloads: 10, parkedEvents: 10, durableHistories: 0.0004 };

const dir = mkdtempSync(join(tmpdir(), 'privacy-retention-'));
const dataDir = join(dir, 'data');
const configPath = (() => {
    const path = testPipelineConfig(dir);
    const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...config, privacy: { retentionDays } }));
    return path;
})();

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let host: StartedHost | undefined;

beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
});
afterAll(async () => {
    await host?.stop();
    await receiver?.stop();
    await removeHostData(dir);
});

const start = (schedule: string) =>
    startPipelineHost(receiver.url, {
        storage: 'disk',
        dataDir,
        env: { PIPELINE_CONFIG_PATH: configPath, PRIVACY_RETENTION_SCHEDULE: schedule },
    });
const lead = (email: string, description = 'Retention test') =>
    JSON.stringify({ userDetails: { email, company: 'Contoso' }, actionCode: 'INS', offerTitle: 'E2E', description });
const table = (h: StartedHost, name: string) =>
    TableClient.fromConnectionString(h.storageConnectionString, `Pipeline${name}`, { allowInsecureConnection: true });
async function rows(h: StartedHost, name: string, filter: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const e of table(h, name).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
}
async function instanceExists(h: StartedHost, instanceId: string): Promise<boolean> {
    const key = encodeURIComponent(String(h.ready.durableSystemKey));
    const res = await fetch(`${h.baseUrl}/runtime/webhooks/durabletask/instances/${instanceId}?code=${key}`);
    return res.status !== 404;
}
const retentionRuns = (h: StartedHost) => [...h.logs().matchAll(/Retention applied \{/g)].length;

describe('retention across restarts', () => {
    it('when the sweeper runs after a restart, then exactly what is past its period is removed, and more runs after another restart remove nothing else', async () => {
        // A schedule that does not come round during the test: the first host stores, it does not sweep.
        host = await start('0 0 0 1 1 *');
        const fresh = await postLead(host, lead('fresh.one@contoso-retention.example'));
        const freshAt = Date.now();
        await waitForFinal(host, fresh.leadId!);
        const now = Date.now();
        const at = (daysAgo: number) => new Date(now - daysAgo * DAY);

        const tables = createTableClientFactory({ connectionString: host.storageConnectionString }, 'Pipeline');
        const blobs = createBlobRawBodyStore(
            { connectionString: host.storageConnectionString },
            'lead-raw-bodies',
            () => tables('RawBodies'),
        );
        const repository = createTableLeadRepository(tables, blobs);
        const seed = async (email: string, daysAgo: number, description?: string) => {
            const body = lead(email, description);
            const parsed = parseMarketplaceCallback(body, { receivedAt: at(daysAgo).toISOString() });
            await repository.create({
                leadId: parsed.leadKey,
                lead: parsed,
                raw: new TextEncoder().encode(body),
                now: at(daysAgo),
            });
            return parsed.leadKey;
        };
        const expired = await seed('old.lead@contoso-retention.example', 40, 'x'.repeat(70_000));
        const rawExpired = await seed('middle.lead@contoso-retention.example', 20);
        const recent = await seed('recent.lead@contoso-retention.example', 5);
        const leadsTable = await tables('Leads');
        for (const [id, daysAgo] of [
            ['lk-tombstone-old', 40],
            ['lk-tombstone-new', 5],
        ] as const) {
            await leadsTable.upsertEntity({
                partitionKey: id,
                rowKey: 'lead',
                status: 'erased',
                erasureId: 'er-20260101T000000Z-00000000',
                receivedAt: at(daysAgo).toISOString(),
            });
        }
        const invalid = createTableInvalidPayloadStore(tables, blobs);
        const invalidOld = await invalid.save(new TextEncoder().encode('not json, old'), 'not-json', at(15));
        const invalidNew = await invalid.save(new TextEncoder().encode('not json, new'), 'not-json', at(5));
        const parked = createTableParkedLeadStore(tables);
        for (const [id, daysAgo] of [
            ['pk-old', 15],
            ['pk-new', 5],
        ] as const) {
            await parked.park({
                id,
                messageId: id,
                reason: 'MaxDeliveryCountExceeded',
                body: '{}',
                properties: {},
                parkedAt: at(daysAgo).toISOString(),
                replayCount: 0,
            });
        }
        const blobName = `${expired}.json`;
        await host.stop();

        host = await start('*/3 * * * * *');
        // The second run must start well after the first (runs are purged by creation time): the sweep that first
        // finds the first run past the period then leaves the second, whatever the speed of the machine.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, freshAt + RUN_GAP_MS - Date.now())));
        const second = await postLead(host, lead('fresh.two@contoso-retention.example'));
        await waitForFinal(host, second.leadId!);
        await waitFor(async () => !(await instanceExists(host!, `lead-${fresh.leadId}`)), 60_000, 'old runs purged');
        expect(await instanceExists(host, `lead-${second.leadId}`)).toBe(true);
        const h = host;

        expect(await getLead(h, expired)).toBeUndefined();
        expect(await rows(h, 'Leads', `PartitionKey eq '${expired}'`)).toEqual([]);
        expect(await rows(h, 'LeadsByTime', `leadId eq '${expired}'`)).toEqual([]);
        expect(await rows(h, 'Journeys', `leadId eq '${expired}'`)).toEqual([]);
        expect(
            await rows(h, 'RawBodies', `PartitionKey eq 'body-key' and RowKey eq '${encodeURIComponent(blobName)}'`),
        ).toEqual([]);
        const container = BlobServiceClient.fromConnectionString(h.storageConnectionString).getContainerClient(
            'lead-raw-bodies',
        );
        expect(await container.getBlockBlobClient(blobName).exists()).toBe(false);
        const middle = await getLead(h, rawExpired);
        expect(middle?.contact.email).toBe('middle.lead@contoso-retention.example');
        expect(await rows(h, 'Leads', `PartitionKey eq '${rawExpired}' and RowKey eq 'raw'`)).toEqual([]);
        for (const id of [recent, fresh.leadId!, second.leadId!]) {
            expect(await getLead(h, id)).toBeDefined();
            expect(await rows(h, 'Leads', `PartitionKey eq '${id}' and RowKey eq 'raw'`)).toHaveLength(1);
        }
        expect(await rows(h, 'Leads', `PartitionKey eq 'lk-tombstone-old'`)).toEqual([]);
        expect(await rows(h, 'Leads', `PartitionKey eq 'lk-tombstone-new'`)).toHaveLength(1);
        const invalidIds = (await rows(h, 'RawBodies', `PartitionKey eq 'invalid'`)).map((r) => r.rowKey);
        expect(invalidIds).toEqual([invalidNew]);
        expect(invalidIds).not.toContain(invalidOld);
        expect((await rows(h, 'Parked', `PartitionKey eq 'parked'`)).map((r) => r.rowKey)).toEqual(['pk-new']);
        expect(h.logs()).toMatch(
            /Retention applied \{[^}]*leads: 1,\s*tombstones: 1,\s*rawBodies: 1,\s*invalidPayloads: 1,\s*parkedEvents: 1/,
        );
        // Every run that removed something left an audit entry with its periods; exactly one removed other than
        // durable histories (a later run may purge the histories of runs that ended after the first one's cutoff).
        const entries = async (at: StartedHost) =>
            (await rows(at, 'Privacy', `PartitionKey eq 'retention'`)).map((r) => ({
                runId: String(r.rowKey),
                removed: readJson<Record<string, number>>(r, 'removed')!,
                retentionDays: readJson(r, 'retentionDays'),
            }));
        const onlyHistories = (e: { removed: Record<string, number> }) =>
            Object.entries(e.removed).every(([kind, n]) => kind === 'durableHistories' || n === 0);
        const audited = await entries(h);
        const [sweep, ...others] = [...audited.filter((e) => !onlyHistories(e)), ...audited.filter(onlyHistories)];
        expect(audited.filter((e) => !onlyHistories(e))).toHaveLength(1);
        expect(sweep!.removed).toMatchObject({
            leads: 1,
            tombstones: 1,
            rawBodies: 1,
            invalidPayloads: 1,
            parkedEvents: 1,
        });
        expect(sweep!.retentionDays).toEqual(retentionDays);
        for (const e of others) expect(e.removed.durableHistories).toBeGreaterThan(0);
        const listed = (await (await fetch(api(h, 'privacy/retention-runs'))).json()) as { items: any[] };
        expect(listed.items.map((r) => r.runId)).toEqual(
            audited
                .map((e) => e.runId)
                .sort()
                .reverse(),
        );
        expect(listed.items.find((r) => r.runId === sweep!.runId).removed).toEqual(sweep!.removed);
        await host.stop();

        host = await start('*/3 * * * * *');
        await waitFor(() => retentionRuns(host!) >= 2, 30_000, 'two more retention runs');
        for (const id of [rawExpired, recent, fresh.leadId!, second.leadId!])
            expect(await getLead(host, id)).toBeDefined();
        expect(await rows(host, 'Leads', `PartitionKey eq 'lk-tombstone-new'`)).toHaveLength(1);
        expect((await rows(host, 'RawBodies', `PartitionKey eq 'invalid'`)).map((r) => r.rowKey)).toEqual([invalidNew]);
        expect((await rows(host, 'Parked', `PartitionKey eq 'parked'`)).map((r) => r.rowKey)).toEqual(['pk-new']);
        expect(host.logs()).not.toMatch(/Retention applied \{[^}]*leads: [1-9]/);
        // Runs that removed nothing left no entry; what later runs recorded is durable histories only.
        const later = (await entries(host)).filter((e) => !audited.some((a) => a.runId === e.runId));
        for (const e of later) {
            expect(onlyHistories(e)).toBe(true);
            expect(e.removed.durableHistories).toBeGreaterThan(0);
        }
    }, 240_000);
});
