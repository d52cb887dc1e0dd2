import { EventEmitter } from 'node:events';

import { type HostLogger } from '../../../local/contracts';
import { type EntityPath, parseEntityPath } from '../../../local/serviceBus/entityPath';
import { MessagePump } from '../../../local/serviceBus/messagePump';
import { type LockedMessage } from '../../../local/serviceBus/messageStore';
import { type ServiceBusBroker } from '../../../local/serviceBus/serviceBusBroker';

/**
 * The pump's timing against a broker held in memory, under fake timers: when it asks the broker, not what the broker
 * does (serviceBusBroker.test.ts and hostDelivery.test.ts run the real one on Azurite).
 */
class MemoryBroker {
    readonly store = new EventEmitter();
    readonly receivedAt: number[] = [];
    readonly completed: string[] = [];
    /** Runs inside the next receive, after it took its messages (a send racing a receive). */
    duringReceive: (() => void) | undefined;
    private visible: LockedMessage[] = [];

    constructor(readonly entity: EntityPath) {}

    settingsOf(): { lockDurationSeconds: number } {
        return { lockDurationSeconds: 60 };
    }

    /** A send: stored, and the store says so (as MessageStore emits `enqueued`). */
    send(id: string): void {
        this.visible.push(lockedMessage(this.entity, id));
        this.store.emit('enqueued', this.entity.path);
    }

    /** A message that becomes visible with no enqueue: a scheduled one at its time, an expired lock, a delayed retry. */
    surface(id: string): void {
        this.visible.push(lockedMessage(this.entity, id));
    }

    async receive(_entity: EntityPath, max: number): Promise<LockedMessage[]> {
        this.receivedAt.push(Date.now());
        const taken = this.visible.splice(0, max);
        const during = this.duringReceive;
        this.duringReceive = undefined;
        during?.();
        await Promise.resolve();
        return taken;
    }

    async renewLock(): Promise<void> {}

    complete(message: LockedMessage): Promise<void> {
        this.completed.push(message.envelope.messageId);
        return Promise.resolve();
    }

    /** Abandon gives the message back at once, and the store emits `enqueued` for it (MessageStore.setVisibility(0)). */
    abandon(message: LockedMessage): Promise<void> {
        this.visible.push(message);
        this.store.emit('enqueued', this.entity.path);
        return Promise.resolve();
    }
}

function lockedMessage(entity: EntityPath, id: string): LockedMessage {
    return {
        entity,
        envelope: {
            v: 1,
            messageId: id,
            body: Buffer.from(JSON.stringify({ id })).toString('base64'),
            applicationProperties: {},
            enqueuedTimeUtc: new Date().toISOString(),
            sequenceNumber: 1,
            deliveryOffset: 0,
        },
        body: Buffer.from(JSON.stringify({ id })),
        deliveryCount: 1,
        lockToken: `lock-${id}`,
        lockedUntil: new Date(Date.now() + 60_000),
        storageMessageId: id,
        popReceipt: 'r',
    };
}

const quiet: HostLogger = { info() {}, warn() {}, error() {}, debug() {} };

let broker: MemoryBroker;
let pump: MessagePump | undefined;
let handled: string[];

function startPump(maxConcurrentCalls: number, handler: (id: string) => Promise<void> = async () => {}): void {
    pump = new MessagePump(
        broker as unknown as ServiceBusBroker,
        broker.entity,
        { maxConcurrentCalls },
        async (payload) => {
            const { id } = payload as { id: string };
            handled.push(id);
            await handler(id);
        },
        quiet,
    );
    pump.start();
}

/** Lets the pump run its promise chains without moving the clock. */
const settle = (): Promise<void> => jest.advanceTimersByTimeAsync(0);

beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    broker = new MemoryBroker(parseEntityPath('leads'));
    handled = [];
});

afterEach(async () => {
    const stopping = pump?.stop(0);
    await jest.advanceTimersByTimeAsync(2000);
    await stopping;
    pump = undefined;
    jest.useRealTimers();
});

test('when a message is sent to a pump idling at its longest poll, then it is received at once', async () => {
    startPump(4);
    await jest.advanceTimersByTimeAsync(5000);
    broker.send('a');
    await settle();
    expect(handled).toEqual(['a']);
});

test('when a message becomes visible by itself (scheduled, lock expired, delayed retry), then it is received within the idle timer of 1 s', async () => {
    startPump(4);
    await jest.advanceTimersByTimeAsync(5000);
    broker.surface('late');
    await jest.advanceTimersByTimeAsync(1000);
    expect(handled).toEqual(['late']);
});

test('when a message surfaces by itself just after a short batch, then it is received within the idle timer', async () => {
    startPump(4);
    await settle();
    broker.send('a');
    await settle();
    broker.surface('b');
    await jest.advanceTimersByTimeAsync(1000);
    expect(handled).toEqual(['a', 'b']);
});

test('when a short batch empties the queue, then the pump does not ask again at once but waits for a send or its timer', async () => {
    startPump(4);
    await jest.advanceTimersByTimeAsync(5000);
    const before = broker.receivedAt.length;
    broker.send('a');
    await settle();
    expect(handled).toEqual(['a']);
    expect(broker.receivedAt.length - before).toBe(1);
    broker.send('b');
    await settle();
    expect(handled).toEqual(['a', 'b']);
    expect(broker.receivedAt.length - before).toBe(2);
});

test('when a message is sent while a receive is under way, then the pump asks again at once instead of sleeping', async () => {
    startPump(4);
    await jest.advanceTimersByTimeAsync(5000);
    broker.duringReceive = () => broker.send('racing');
    // The next poll's receive races the send; the pump must not then sleep another idle period.
    await jest.advanceTimersByTimeAsync(1000);
    expect(handled).toEqual(['racing']);
});

test('when a handler ends while the pump idles, then the pump does not ask the broker for it', async () => {
    let finish: () => void = () => {};
    startPump(4, () => new Promise<void>((resolve) => (finish = resolve)));
    await jest.advanceTimersByTimeAsync(5000);
    broker.send('slow');
    await settle();
    const before = broker.receivedAt.length;
    finish();
    await settle();
    expect(broker.completed).toEqual(['slow']);
    expect(broker.receivedAt.length).toBe(before);
});

test('when every slot is busy, then a handler ending frees its slot and the pump receives again at once', async () => {
    const finishers: Array<() => void> = [];
    startPump(2, () => new Promise<void>((resolve) => finishers.push(resolve)));
    await settle();
    for (const id of ['a', 'b', 'c']) broker.send(id);
    await settle();
    expect(handled).toEqual(['a', 'b']);
    finishers.shift()!();
    await settle();
    expect(handled).toEqual(['a', 'b', 'c']);
});

test('when a handler throws, then the abandoned message is received again at once', async () => {
    let failures = 0;
    startPump(4, () => (failures++ === 0 ? Promise.reject(new Error('first delivery fails')) : Promise.resolve()));
    await jest.advanceTimersByTimeAsync(5000);
    broker.send('retry');
    await settle();
    await settle();
    expect(handled).toEqual(['retry', 'retry']);
    expect(broker.completed).toEqual(['retry']);
});
