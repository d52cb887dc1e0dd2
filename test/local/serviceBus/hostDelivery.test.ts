import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { ServiceBusClient } from '@azure/service-bus';

import { type StartedHost, startHost, waitFor } from '../../support/host';
import { removeHostData } from '../../support/removeHostData';
import { recordsOf } from './records';

const appDir = resolve(__dirname, '../../apps/sb-basic');
let tempDir: string;
let recordFile: string;
let host: StartedHost;
let client: ServiceBusClient;

beforeAll(async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'sb-host-'));
    recordFile = join(tempDir, 'records.jsonl');
    host = await startHost({ appDir, env: { SB_RECORD_FILE: recordFile } });
    client = new ServiceBusClient(host.serviceBusConnectionString, { retryOptions: { maxRetries: 1 } });
}, 60000);

afterAll(async () => {
    await client?.close();
    await host?.stop();
    await removeHostData(tempDir);
});

const arrived =
    (fn: string, count = 1) =>
    () =>
        recordsOf(recordFile, fn).length >= count;

test('when an SDK sender sends to a queue, then the trigger gets the parsed body and the metadata keys of the real extension', async () => {
    await client.createSender('orders').sendMessages({
        body: { orderId: 7 },
        messageId: 'order-7',
        correlationId: 'corr-7',
        contentType: 'application/json',
        subject: 'created',
        to: 'somewhere',
        replyTo: 'replies',
        timeToLive: 60_000,
        applicationProperties: { Kind: 'test', count: 3, flag: true },
    });
    await waitFor(arrived('orders'), 20000, 'the order');
    const [order] = recordsOf(recordFile, 'orders');
    expect(order!.payload).toEqual({ orderId: 7 });
    expect(order!.metadata).toMatchObject({
        messageId: 'order-7',
        correlationId: 'corr-7',
        contentType: 'application/json',
        subject: 'created',
        label: 'created',
        to: 'somewhere',
        replyTo: 'replies',
        deliveryCount: 1,
        applicationProperties: { kind: 'test', count: 3, flag: true },
        userProperties: { kind: 'test', count: 3, flag: true },
    });
    const { enqueuedTimeUtc, expiresAtUtc, sequenceNumber, lockToken } = order!.metadata;
    expect(Date.parse(String(expiresAtUtc)) - Date.parse(String(enqueuedTimeUtc))).toBe(60_000);
    expect(typeof sequenceNumber).toBe('number');
    expect(String(lockToken)).toMatch(/^[0-9a-f-]{36}$/);
});

test('when the handler throws on every delivery, then it is retried up to maxDeliveryCount and dead-lettered with the reason', async () => {
    await client.createSender('flaky').sendMessages({ body: 'boom', messageId: 'flaky-1' });
    await waitFor(arrived('flaky-dlq'), 30000, 'the dead-lettered message');
    expect(recordsOf(recordFile, 'flaky').map((r) => r.metadata.deliveryCount)).toEqual([1, 2, 3]);
    const [dead] = recordsOf(recordFile, 'flaky-dlq');
    expect(dead!.payload).toBe('"boom"');
    expect(dead!.metadata.messageId).toBe('flaky-1');
    expect(dead!.metadata.applicationProperties).toEqual({
        deadLetterReason: 'MaxDeliveryCountExceeded',
        deadLetterErrorDescription: 'Message could not be consumed after 3 delivery attempts.',
    });
});

test('when a message id repeats within the duplicate detection window of a queue that asks for it, then only the first is delivered and the drop is logged', async () => {
    const sender = client.createSender('dedupe');
    await sender.sendMessages({ body: { copy: 1 }, messageId: 'same-id' });
    await sender.sendMessages({ body: { copy: 2 }, messageId: 'same-id' });
    await sender.sendMessages([
        { body: { copy: 3 }, messageId: 'same-id' },
        { body: { copy: 4 }, messageId: 'other-id' },
    ]);
    const plain = client.createSender('no-dedupe');
    await plain.sendMessages({ body: 1, messageId: 'same-id' });
    await plain.sendMessages({ body: 2, messageId: 'same-id' });
    await waitFor(() => arrived('dedupe', 2)() && arrived('no-dedupe', 2)(), 20000, 'both queues');
    const ids = recordsOf(recordFile, 'dedupe').map((r) => [r.metadata.messageId, r.payload]);
    expect(ids.sort()).toEqual([
        ['other-id', { copy: 4 }],
        ['same-id', { copy: 1 }],
    ]);
    // Azure's default: an entity without requiresDuplicateDetection delivers every copy.
    expect(recordsOf(recordFile, 'no-dedupe')).toHaveLength(2);
    expect(host.logs()).toMatch(/duplicate message dropped.*"entity":"dedupe","messageId":"same-id"/u);
});

test('when the same message id is sent again after the window, then it is delivered again', async () => {
    const sender = client.createSender('short-window');
    await sender.sendMessages({ body: 'first', messageId: 'window-id' });
    await waitFor(arrived('short-window'), 20000, 'the first message');
    await new Promise((r) => setTimeout(r, 1100)); // the configured window is 1 s
    await sender.sendMessages({ body: 'second', messageId: 'window-id' });
    await waitFor(arrived('short-window', 2), 20000, 'the second message');
    expect(recordsOf(recordFile, 'short-window').map((r) => r.payload)).toEqual(['"first"', '"second"']);
});

test('when messages are scheduled, then they arrive at their time and a cancelled one never does', async () => {
    const sender = client.createSender('scheduled');
    const at = new Date(Date.now() + 2000);
    const [kept] = await sender.scheduleMessages({ body: 'kept', messageId: 'kept' }, at);
    const [cancelled] = await sender.scheduleMessages({ body: 'cancelled', messageId: 'cancelled' }, at);
    await sender.cancelScheduledMessages(cancelled!);
    await sender.scheduleMessages({ body: 'later', messageId: 'later' }, new Date(Date.now() + 3000));
    await waitFor(arrived('scheduled', 2), 20000, 'the scheduled messages');
    const records = recordsOf(recordFile, 'scheduled');
    expect(records.map((r) => r.metadata.messageId).sort()).toEqual(['kept', 'later']);
    const keptRecord = records.find((r) => r.metadata.messageId === 'kept')!;
    expect(keptRecord.at).toBeGreaterThanOrEqual(at.getTime());
    expect(keptRecord.metadata.sequenceNumber).toBe(kept!.toNumber());
    expect(Date.parse(String(keptRecord.metadata.enqueuedTimeUtc))).toBeGreaterThanOrEqual(at.getTime());
});

test('when messages are sent as a batch or an array, then each arrives with its own properties', async () => {
    const sender = client.createSender('batch');
    const batch = await sender.createMessageBatch();
    for (let i = 0; i < 3; i++) {
        expect(batch.tryAddMessage({ body: { i }, messageId: `b-${i}`, applicationProperties: { i } })).toBe(true);
    }
    await sender.sendMessages(batch);
    await sender.sendMessages([
        { body: 'x', messageId: 'a-0', subject: 's0' },
        { body: 'y', messageId: 'a-1', subject: 's1' },
    ]);
    await waitFor(arrived('batch', 5), 20000, 'five batched messages');
    const byId = new Map(recordsOf(recordFile, 'batch').map((r) => [r.metadata.messageId, r]));
    expect([...byId.keys()].sort()).toEqual(['a-0', 'a-1', 'b-0', 'b-1', 'b-2']);
    expect(byId.get('b-2')!.payload).toEqual({ i: 2 });
    expect(byId.get('b-2')!.metadata.applicationProperties).toEqual({ i: 2 });
    expect(byId.get('a-1')!.metadata.subject).toBe('s1');
});

test('when a function returns to a serviceBus output binding, then each array item becomes a message', async () => {
    await client.createSender('relay').sendMessages({ body: { n: 5 } });
    await waitFor(arrived('relayed', 2), 20000, 'the relayed messages');
    const payloads = recordsOf(recordFile, 'relayed').map((r) => r.payload);
    expect(payloads).toEqual(expect.arrayContaining([{ relayed: 5, copy: 1 }, 'plain text']));
});

test('when a message is sent to a topic, then every subscription gets a copy, and topic duplicates are dropped', async () => {
    const sender = client.createSender('events');
    await sender.sendMessages({ body: { e: 1 }, messageId: 'event-1' });
    await sender.sendMessages({ body: { e: 1 }, messageId: 'event-1' });
    await sender.sendMessages({ body: { e: 2 }, messageId: 'event-2' });
    await waitFor(() => arrived('events/audit', 2)() && arrived('events/billing', 2)(), 20000, 'both subscriptions');
    for (const fn of ['events/audit', 'events/billing']) {
        expect(
            recordsOf(recordFile, fn)
                .map((r) => r.metadata.messageId)
                .sort(),
        ).toEqual(['event-1', 'event-2']);
    }
});

test('when the app sends with its own ServiceBusClient from its settings, then the host pointed it at the stand-in', async () => {
    const response = await fetch(`${host.baseUrl}/api/forward`, {
        method: 'POST',
        body: JSON.stringify({ via: 'http' }),
    });
    expect(response.status).toBe(202);
    await waitFor(
        () => recordsOf(recordFile, 'orders').some((r) => r.metadata.messageId === 'from-http'),
        20000,
        'forwarded',
    );
    expect(recordsOf(recordFile, 'orders').find((r) => r.metadata.messageId === 'from-http')!.payload).toEqual({
        via: 'http',
    });
});

test('when a trigger has cardinality many, then it gets an array of bodies with one metadata entry per message', async () => {
    await client.createSender('many').sendMessages([
        { body: { n: 1 }, messageId: 'many-1' },
        { body: 'two', messageId: 'many-2' },
        { body: { n: 3 }, messageId: 'many-3' },
    ]);
    const ids = (): string[] => recordsOf(recordFile, 'many').flatMap((r) => r.metadata.messageIdArray as string[]);
    await waitFor(() => ids().length >= 3, 20000, 'the batch');
    expect(ids().sort()).toEqual(['many-1', 'many-2', 'many-3']);
    for (const record of recordsOf(recordFile, 'many')) {
        const payloads = record.payload as unknown[];
        const messageIds = record.metadata.messageIdArray as string[];
        expect(payloads).toHaveLength(messageIds.length);
        expect(record.metadata.deliveryCountArray).toEqual(messageIds.map(() => 1));
        const byId = { 'many-1': { n: 1 }, 'many-2': '"two"', 'many-3': { n: 3 } } as Record<string, unknown>;
        payloads.forEach((payload, i) => expect(payload).toEqual(byId[messageIds[i]!]));
    }
});

test('when an SDK receiver tries to receive, then it is refused instead of hanging (triggers are the receivers)', async () => {
    const receiver = client.createReceiver('orders');
    await expect(receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 })).rejects.toThrow(/senders only/);
    await receiver.close();
});
