import { message } from 'rhea';

import { batchMessageFormat, messagesOfTransfer } from '../../../local/serviceBus/amqp/fromAmqpMessage';
import {
    isLocalEmulatorConnectionString,
    rewriteEmulatorSettings,
} from '../../../local/serviceBus/emulatorConnectionString';
import { triggerPayload } from '../../../local/serviceBus/envelope';
import { type LockedMessage } from '../../../local/serviceBus/messageStore';
import { outputMessages } from '../../../local/serviceBus/outputMessages';
import { defaultEntitySettings } from '../../../local/serviceBus/serviceBusConfig';
import { stampEnvelope } from '../../../local/serviceBus/stampEnvelope';
import { batchTriggerMetadata, lowerFirstKeys, triggerMetadata } from '../../../local/serviceBus/triggerMetadata';

function locked(overrides: Partial<LockedMessage['envelope']> = {}): LockedMessage {
    return {
        entity: { path: 'q', entity: 'q', deadLetter: false },
        envelope: {
            v: 1,
            messageId: 'm',
            applicationProperties: { Outer: { InnerKey: [{ DeepKey: 1 }] } },
            enqueuedTimeUtc: '2026-01-01T00:00:00.000Z',
            sequenceNumber: 42,
            deliveryOffset: 0,
            ...overrides,
        },
        body: Buffer.from('{}'),
        deliveryCount: 2,
        lockToken: 'lock',
        lockedUntil: new Date(),
        storageMessageId: 's',
        popReceipt: 'p',
    };
}

test('when metadata is built, then nested application property keys have their first letter lower-cased', () => {
    expect(lowerFirstKeys({ ABc: { DeF: [{ GHi: 1 }] } })).toEqual({ aBc: { deF: [{ gHi: 1 }] } });
    const metadata = triggerMetadata(locked());
    expect(metadata.applicationProperties).toEqual({ outer: { innerKey: [{ deepKey: 1 }] } });
    expect(metadata).toMatchObject({ messageId: 'm', deliveryCount: 2, sequenceNumber: 42, lockToken: 'lock' });
    expect(metadata.expiresAtUtc).toBe('9999-12-31T23:59:59.9999999Z');
    expect('correlationId' in metadata).toBe(false);
});

test('when metadata is built for a batch, then every key becomes an array key', () => {
    const batch = batchTriggerMetadata([locked({ messageId: 'a' }), locked({ messageId: 'b', correlationId: 'c' })]);
    expect(batch.messageIdArray).toEqual(['a', 'b']);
    expect(batch.correlationIdArray).toEqual([null, 'c']);
    expect(batch.deliveryCountArray).toEqual([2, 2]);
});

test('when a body is delivered, then JSON objects and arrays are parsed and anything else stays text', () => {
    expect(triggerPayload(Buffer.from(' {"a":1}'))).toEqual({ a: 1 });
    expect(triggerPayload(Buffer.from('[1,2]'))).toEqual([1, 2]);
    expect(triggerPayload(Buffer.from('"quoted"'))).toBe('"quoted"');
    expect(triggerPayload(Buffer.from('{broken'))).toBe('{broken');
    expect(triggerPayload(Buffer.from('42'))).toBe('42');
});

test('when an output binding value is converted, then arrays are several messages and objects are JSON', () => {
    const messages = outputMessages([{ a: 1 }, 'text', Buffer.from([1, 2]), null]);
    expect(messages.map((m) => m.body.toString('base64'))).toEqual([
        Buffer.from('{"a":1}').toString('base64'),
        Buffer.from('text').toString('base64'),
        Buffer.from([1, 2]).toString('base64'),
    ]);
    expect(messages[0]!.contentType).toBe('application/json');
    expect(outputMessages(undefined)).toEqual([]);
});

test('when an AMQP message arrives, then Service Bus properties, annotations and TTL are read', () => {
    const at = new Date('2030-01-01T00:00:00.000Z');
    const encoded = message.encode({
        message_id: 'id-1',
        correlation_id: 'c-1',
        content_type: 'application/json',
        subject: 's',
        group_id: 'session',
        ttl: 5000,
        application_properties: { k: 'v', when: new Date(0) },
        message_annotations: { 'x-opt-scheduled-enqueue-time': at, 'x-opt-partition-key': 'pk' },
        body: message.data_section(Buffer.from('{"x":1}')),
    });
    const [parsed] = messagesOfTransfer(message.decode(encoded) as never, 0);
    expect(parsed).toMatchObject({
        messageId: 'id-1',
        correlationId: 'c-1',
        contentType: 'application/json',
        subject: 's',
        sessionId: 'session',
        partitionKey: 'pk',
        timeToLiveMs: 5000,
        applicationProperties: { k: 'v', when: '1970-01-01T00:00:00.000Z' },
        scheduledEnqueueTimeUtc: at,
    });
    expect(parsed!.body.toString()).toBe('{"x":1}');
});

test('when a batch transfer arrives, then each data section is decoded as its own message', () => {
    const inner = ['a', 'b', 'c'].map((id) =>
        message.encode({ message_id: id, body: message.data_section(Buffer.from(id)) }),
    );
    const batch = message.encode({ body: message.data_sections(inner) });
    const parsed = messagesOfTransfer(batch, batchMessageFormat);
    expect(parsed.map((m) => [m.messageId, m.body.toString()])).toEqual([
        ['a', 'a'],
        ['b', 'b'],
        ['c', 'c'],
    ]);
    const single = message.encode({ body: message.data_section(inner[0]) });
    expect(messagesOfTransfer(single, batchMessageFormat).map((m) => m.messageId)).toEqual(['a']);
});

test('when settings hold emulator connection strings, then only loopback emulator ones get the actual port', () => {
    const emulator =
        'Endpoint=sb://127.0.0.1;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;';
    const env: NodeJS.ProcessEnv = {
        A: emulator,
        B: emulator.replace('sb://127.0.0.1', 'sb://localhost:5672'),
        C: 'Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=y',
        D: emulator.replace('UseDevelopmentEmulator=true;', ''),
    };
    expect(rewriteEmulatorSettings(env, 41234).sort()).toEqual(['A', 'B']);
    expect(env.A).toContain('Endpoint=sb://127.0.0.1:41234;');
    expect(env.B).toMatch(/^Endpoint=sb:\/\/127\.0\.0\.1:41234;/);
    expect(env.C).toContain('contoso');
    expect(isLocalEmulatorConnectionString(env.D!)).toBe(false);
});

test('when a scheduled message with a TTL is stamped, then it is enqueued at its schedule and expires from there', () => {
    const now = Date.parse('2026-01-01T00:00:00.000Z');
    const settings = { ...defaultEntitySettings, defaultMessageTimeToLiveSeconds: 3600 };
    const scheduled = stampEnvelope(
        { body: Buffer.alloc(0), messageId: 'm', scheduledEnqueueTimeUtc: new Date(now + 60_000), timeToLiveMs: 1000 },
        settings,
        7,
        now,
    );
    expect(scheduled.visibleAt?.getTime()).toBe(now + 60_000);
    expect(scheduled.envelope).toMatchObject({
        enqueuedTimeUtc: '2026-01-01T00:01:00.000Z',
        expiresAtUtc: '2026-01-01T00:01:01.000Z',
        sequenceNumber: 7,
    });
    const plain = stampEnvelope(
        { body: Buffer.alloc(0), messageId: 'm', scheduledEnqueueTimeUtc: new Date(now - 1) },
        settings,
        8,
        now,
    );
    expect(plain.visibleAt).toBeUndefined();
    expect(plain.envelope.scheduledEnqueueTimeUtc).toBeUndefined();
    expect(plain.envelope.expiresAtUtc).toBe('2026-01-01T01:00:00.000Z');
});
