import { TableClient } from '@azure/data-tables';

import { DuplicateDetector } from '../../../local/serviceBus/duplicateDetector';
import { parseEntityPath } from '../../../local/serviceBus/entityPath';
import { MessageStore } from '../../../local/serviceBus/messageStore';
import { ScheduledIndex } from '../../../local/serviceBus/scheduledIndex';
import { ServiceBusBroker } from '../../../local/serviceBus/serviceBusBroker';
import { loadServiceBusConfig } from '../../../local/serviceBus/serviceBusConfig';
import { type AzuriteInstance, startAzurite } from '../../support/azurite';

let azurite: AzuriteInstance;
let broker: ServiceBusBroker;
let store: MessageStore;
let duplicates: DuplicateDetector;

beforeAll(async () => {
    azurite = await startAzurite();
    const table = (name: string): TableClient =>
        TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
    store = new MessageStore(azurite.connectionString);
    duplicates = new DuplicateDetector(table('SbDuplicates'));
    const scheduled = new ScheduledIndex(table('SbScheduled'));
    await Promise.all([store.init(), duplicates.init(), scheduled.init()]);
    const config = loadServiceBusConfig(
        __dirname,
        JSON.stringify({
            queues: {
                expiring: { deadLetteringOnMessageExpiration: true, lockDurationSeconds: 5 },
                dropping: { defaultMessageTimeToLiveSeconds: 1 },
            },
        }),
    );
    broker = new ServiceBusBroker(store, duplicates, scheduled, config);
});

afterAll(async () => {
    await azurite?.stop();
});

type Locked = Awaited<ReturnType<ServiceBusBroker['receive']>>;

/** Receives until `expected` messages came (bounded poll). */
async function receiveUntil(path: string, expected: number, timeoutMs = 15000): Promise<Locked> {
    const entity = parseEntityPath(path);
    const got: Locked = [];
    const deadline = Date.now() + timeoutMs;
    while (got.length < expected) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${expected} message(s) on ${path}`);
        got.push(...(await broker.receive(entity, 32)));
        if (got.length < expected) await new Promise((r) => setTimeout(r, 50));
    }
    return got;
}

const body = (text: string): Buffer => Buffer.from(text);

test('when a message outlives its TTL on a queue that dead-letters on expiry, then it goes to the dead-letter queue', async () => {
    await broker.send('expiring', [{ body: body('old'), messageId: 'ttl-1', timeToLiveMs: 300 }]);
    await broker.send('expiring', [{ body: body('fresh'), messageId: 'ttl-2' }]);
    await new Promise((r) => setTimeout(r, 400));
    const live = await receiveUntil('expiring', 1);
    expect(live.map((m) => m.envelope.messageId)).toEqual(['ttl-2']);
    const [dead] = await receiveUntil('expiring/$deadletterqueue', 1);
    expect(dead!.envelope.messageId).toBe('ttl-1');
    expect(dead!.envelope.applicationProperties.DeadLetterReason).toBe('TTLExpiredException');
    expect(dead!.body.toString()).toBe('old');
});

test('when a message outlives the queue default TTL without dead-lettering on expiry, then it is dropped', async () => {
    await broker.send('dropping', [{ body: body('gone'), messageId: 'drop-1' }]);
    await new Promise((r) => setTimeout(r, 1100));
    await broker.send('dropping', [{ body: body('kept'), messageId: 'drop-2', timeToLiveMs: 60_000 }]);
    const received = await receiveUntil('dropping', 1);
    expect(received.map((m) => m.envelope.messageId)).toEqual(['drop-2']);
    expect(await broker.receive(parseEntityPath('dropping/$deadletterqueue'), 32)).toEqual([]);
});

test('when a body is larger than a storage queue message holds, then it round-trips through a blob', async () => {
    const big = Buffer.alloc(200 * 1024, 'x');
    await broker.send('big', [{ body: big, messageId: 'big-1' }]);
    const [message] = await receiveUntil('big', 1);
    expect(message!.envelope.bodyBlob).toBeDefined();
    expect(message!.body.equals(big)).toBe(true);
    await broker.complete(message!);
});

test('when a scheduled message surfaces before its time (the 7-day storage cap), then it is hidden again without counting a delivery', async () => {
    const entity = parseEntityPath('far-future');
    const at = new Date(Date.now() + 1500);
    const envelope = {
        v: 1 as const,
        messageId: 'far-1',
        applicationProperties: {},
        enqueuedTimeUtc: at.toISOString(),
        sequenceNumber: store.nextSequenceNumber(),
        scheduledEnqueueTimeUtc: at.toISOString(),
        deliveryOffset: 0,
    };
    // Visible at once, as a message whose capped storage delay ran out before its scheduled time.
    await store.enqueue(entity, envelope, body('later'));
    expect(await broker.receive(entity, 32)).toEqual([]);
    const [message] = await receiveUntil('far-future', 1);
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime() - 1000);
    expect(message!.deliveryCount).toBe(1);
});

test('when an abandoned message reaches max delivery count, then the next abandon dead-letters it', async () => {
    await broker.send('abandoned', [{ body: body('x'), messageId: 'ab-1' }]);
    for (let attempt = 1; attempt <= 10; attempt++) {
        const [message] = await receiveUntil('abandoned', 1);
        expect(message!.deliveryCount).toBe(attempt);
        await broker.abandon(message!);
    }
    const [dead] = await receiveUntil('abandoned/$deadletterqueue', 1);
    expect(dead!.envelope.applicationProperties).toMatchObject({ DeadLetterReason: 'MaxDeliveryCountExceeded' });
});

test('when a message id is claimed after its window expired, then it counts as new again', async () => {
    const now = Date.now();
    expect(await duplicates.claim('q', 'id/with?odd#chars', 10, now)).toBe(true);
    expect(await duplicates.claim('q', 'id/with?odd#chars', 10, now + 5_000)).toBe(false);
    expect(await duplicates.claim('q', 'id/with?odd#chars', 10, now + 11_000)).toBe(true);
    expect(await duplicates.claim('other-q', 'id/with?odd#chars', 10, now)).toBe(true);
});

test('when cancelling an unknown sequence number, then it fails', async () => {
    await expect(broker.cancelScheduled('scheduled', [12345])).rejects.toThrow(/No scheduled message/);
});

test('when sending to a dead-letter queue or a subscription, then it is refused', async () => {
    await expect(broker.send('q/$deadletterqueue', [{ body: body('x') }])).rejects.toThrow(/only queues and topics/);
    await expect(broker.send('t/Subscriptions/s', [{ body: body('x') }])).rejects.toThrow(/only queues and topics/);
});
