import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { ServiceBusClient } from '@azure/service-bus';

import { type StartedHost, startHost, waitFor } from '../../support/host';
import { removeHostData } from '../../support/removeHostData';
import { recordsOf } from './records';

const appDir = resolve(__dirname, '../../apps/sb-crash');
let tempDir: string;
let recordFile: string;
const hosts: StartedHost[] = [];

beforeAll(() => {
    tempDir = mkdtempSync(join(tmpdir(), 'sb-crash-'));
    recordFile = join(tempDir, 'records.jsonl');
});

afterAll(async () => {
    // SIGTERM stops the host and its Azurite in order; a killed host's Azurite saves and exits on its own, so the
    // data folder may still be written to for a moment.
    for (const host of hosts) await host.stop();
    await removeHostData(tempDir);
});

async function start(): Promise<StartedHost> {
    const host = await startHost({
        appDir,
        storage: 'disk',
        dataDir: join(tempDir, 'data'),
        env: { SB_RECORD_FILE: recordFile },
        readyTimeoutMs: 45000,
    });
    hosts.push(host);
    return host;
}

async function send(host: StartedHost, queue: string, ids: string[], scheduleAt?: Date): Promise<void> {
    const client = new ServiceBusClient(host.serviceBusConnectionString);
    const sender = client.createSender(queue);
    const messages = ids.map((id) => ({ body: { id }, messageId: id }));
    if (scheduleAt) await sender.scheduleMessages(messages, scheduleAt);
    else await sender.sendMessages(messages);
    await client.close();
}

const processedIds = (fn: string): Set<string> =>
    new Set(recordsOf(recordFile, fn).map((r) => String(r.metadata.messageId)));

test('when the host is killed with messages queued, scheduled and in flight, then after a restart every message is processed', async () => {
    const first = await start();
    const ids = Array.from({ length: 30 }, (_, i) => `w-${i}`);
    const scheduledIds = ['s-0', 's-1', 's-2'];
    // "held" stays in its handler for a minute, so it is certainly in flight when the host dies.
    const client = new ServiceBusClient(first.serviceBusConnectionString);
    await client.createSender('work').sendMessages({ body: { holdMs: 60_000 }, messageId: 'held' });
    await client.close();
    await waitFor(() => processedIds('work').has('held'), 20000, 'the held message to be in flight');
    await send(first, 'work', ids);
    await send(first, 'work', scheduledIds, new Date(Date.now() + 4000));
    await waitFor(() => processedIds('work').size >= 3, 20000, 'the first messages to be processed');
    expect(await first.kill('SIGKILL')).toBeNull();
    const beforeRestart = processedIds('work').size;
    expect(beforeRestart).toBeLessThan(ids.length);

    await start();
    const all = ['held', ...ids, ...scheduledIds];
    await waitFor(() => all.every((id) => processedIds('work').has(id)), 60000, 'every message after the restart');
    expect([...processedIds('work')].sort()).toEqual(all.sort());
    // The lock of the in-flight message lapsed with the host: it came back as its second delivery.
    await waitFor(
        () =>
            recordsOf(recordFile, 'work').some(
                (r) => r.metadata.messageId === 'held' && r.metadata.deliveryCount === 2,
            ),
        20000,
        'the held message to be redelivered',
    );
}, 120000);

test('when many messages wait, then no more than maxConcurrentCalls run at once', async () => {
    const host = hosts[hosts.length - 1]!;
    const ids = Array.from({ length: 10 }, (_, i) => `c-${i}`);
    await send(host, 'work', ids);
    await waitFor(() => ids.every((id) => processedIds('work').has(id)), 30000, 'the concurrency batch');
    const concurrency = recordsOf(recordFile, 'work')
        .filter((r) => ids.includes(String(r.metadata.messageId)))
        .map((r) => (r as unknown as { concurrent: number }).concurrent);
    expect(Math.max(...concurrency)).toBe(2);
}, 60000);

test('when a handler runs longer than the lock duration, then the lock is renewed and the message is not redelivered', async () => {
    const host = hosts[hosts.length - 1]!;
    await send(host, 'long', ['long-1', 'marker']);
    // Both run at once (limit 2); when "marker" has been completed for a lock duration, a lapsed lock would show.
    await waitFor(() => processedIds('long').size === 2, 20000, 'both long messages');
    const started = Math.max(...recordsOf(recordFile, 'long').map((r) => r.at));
    await waitFor(() => Date.now() > started + 5000 + 2500, 20000, 'handlers to finish and a lock period to pass');
    const deliveries = recordsOf(recordFile, 'long');
    expect(deliveries.map((r) => [r.metadata.messageId, r.metadata.deliveryCount]).sort()).toEqual([
        ['long-1', 1],
        ['marker', 1],
    ]);
}, 60000);
