import { ServiceBusClient } from '@azure/service-bus';

import { type AzuriteInstance, startAzurite } from '../../support/azurite';
import { type Delivery, type FakeHost, sbRegistration, startFakeHost, waitFor } from './fakeHost';

let azurite: AzuriteInstance;
let host: FakeHost;
let client: ServiceBusClient;
const received: Record<string, Delivery[]> = { orders: [], flaky: [], flakyDead: [] };

beforeAll(async () => {
    azurite = await startAzurite();
    host = await startFakeHost({
        storageConnectionString: azurite.connectionString,
        config: { queues: { flaky: { maxDeliveryCount: 3 } } },
        registrations: [
            sbRegistration('orders', { queueName: 'orders' }, (payload, context) => {
                received.orders!.push({
                    payload,
                    metadata: (context as { triggerMetadata: Record<string, unknown> }).triggerMetadata,
                });
            }),
            sbRegistration('flaky', { queueName: 'flaky' }, (payload, context) => {
                received.flaky!.push({
                    payload,
                    metadata: (context as { triggerMetadata: Record<string, unknown> }).triggerMetadata,
                });
                throw new Error('always fails');
            }),
            sbRegistration('flakyDead', { queueName: 'flaky/$deadletterqueue' }, (payload, context) => {
                received.flakyDead!.push({
                    payload,
                    metadata: (context as { triggerMetadata: Record<string, unknown> }).triggerMetadata,
                });
            }),
        ],
    });
    client = new ServiceBusClient(host.connectionString, { retryOptions: { maxRetries: 1, timeoutInMs: 10000 } });
});

afterAll(async () => {
    await client?.close();
    await host?.stop();
    await azurite?.stop();
});

test('when an SDK sender sends a message, then the trigger receives its body and metadata', async () => {
    const sender = client.createSender('orders');
    await sender.sendMessages({
        body: { orderId: 7 },
        messageId: 'm-1',
        correlationId: 'c-1',
        contentType: 'application/json',
        subject: 'order',
        applicationProperties: { Kind: 'test', n: 3 },
    });
    await waitFor(() => received.orders!.length === 1, 20000, 'delivery');
    const [delivery] = received.orders!;
    expect(delivery!.payload).toEqual({ orderId: 7 });
    expect(delivery!.metadata).toMatchObject({
        messageId: 'm-1',
        correlationId: 'c-1',
        contentType: 'application/json',
        subject: 'order',
        label: 'order',
        deliveryCount: 1,
        applicationProperties: { kind: 'test', n: 3 },
        userProperties: { kind: 'test', n: 3 },
    });
    expect(typeof delivery!.metadata.sequenceNumber).toBe('number');
    expect(typeof delivery!.metadata.lockToken).toBe('string');
    expect(Date.parse(String(delivery!.metadata.enqueuedTimeUtc))).toBeLessThanOrEqual(Date.now());
    await sender.close();
});

test('when a handler always throws, then the message is redelivered up to max delivery count and dead-lettered', async () => {
    const sender = client.createSender('flaky');
    await sender.sendMessages({ body: 'boom', messageId: 'f-1' });
    await waitFor(() => received.flakyDead!.length === 1, 30000, 'dead-letter delivery');
    expect(received.flaky!.map((d) => d.metadata.deliveryCount)).toEqual([1, 2, 3]);
    const dead = received.flakyDead![0]!;
    expect(dead.payload).toBe('"boom"');
    expect(dead.metadata.messageId).toBe('f-1');
    expect(dead.metadata.applicationProperties).toMatchObject({
        deadLetterReason: 'MaxDeliveryCountExceeded',
        deadLetterErrorDescription: 'Message could not be consumed after 3 delivery attempts.',
    });
    await sender.close();
});
