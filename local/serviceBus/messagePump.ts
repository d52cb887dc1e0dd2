import { type HostLogger } from '../contracts';
import { type EntityPath } from './entityPath';
import { triggerPayload } from './envelope';
import { type LockedMessage } from './messageStore';
import { type ServiceBusBroker } from './serviceBusBroker';
import { batchTriggerMetadata, triggerMetadata } from './triggerMetadata';

export type Deliver = (payload: unknown, metadata: Record<string, unknown>) => Promise<unknown>;

export interface PumpOptions {
    /** Handlers running at once (`maxConcurrentCalls`); a batch counts as one. */
    maxConcurrentCalls: number;
    /** `cardinality: 'many'`: invoke with up to this many messages at once (`maxMessageBatchSize`). */
    batchSize?: number;
}

const minIdleMs = 25;
const maxIdleMs = 1000;
const maxReceiveBatch = 32;

/**
 * Drives one trigger: receives under peek-lock while fewer than `maxConcurrentCalls` invocations run, renews the
 * lock at half its duration while the handler runs, completes on success and abandons on throw (autoComplete).
 */
export class MessagePump {
    private running = 0;
    private stopped = false;
    private wake: (() => void) | undefined;
    /** A message was enqueued since the last receive started: the next pause ends at once. */
    private enqueuedSinceReceive = false;
    private waitingForSlots = false;
    private loop: Promise<void> | undefined;
    private readonly inFlight = new Set<Promise<void>>();
    private readonly onEnqueued = (path: string): void => {
        if (path.toLowerCase() !== this.entity.path.toLowerCase()) return;
        this.enqueuedSinceReceive = true;
        this.wake?.();
    };

    constructor(
        private readonly broker: ServiceBusBroker,
        readonly entity: EntityPath,
        private readonly options: PumpOptions,
        private readonly deliver: Deliver,
        private readonly logger: HostLogger,
    ) {}

    start(): void {
        this.broker.store.on('enqueued', this.onEnqueued);
        this.loop = this.run();
    }

    /** Stops receiving and waits (bounded) for running handlers; unsettled messages are redelivered after their lock. */
    async stop(graceMs = 10000): Promise<void> {
        this.stopped = true;
        this.broker.store.off('enqueued', this.onEnqueued);
        this.wake?.();
        await this.loop;
        await Promise.race([Promise.allSettled([...this.inFlight]), sleep(graceMs)]);
    }

    private async run(): Promise<void> {
        let idle = minIdleMs;
        while (!this.stopped) {
            const free = this.options.maxConcurrentCalls - this.running;
            // Azurite sorts the whole queue on every receive, so refill in chunks rather than one slot at a time.
            if (free <= 0 || (this.running > 0 && free < this.options.maxConcurrentCalls / 2)) {
                this.waitingForSlots = true;
                await this.pause(maxIdleMs);
                this.waitingForSlots = false;
                continue;
            }
            let batch: LockedMessage[] = [];
            const wanted = Math.min(this.options.batchSize ?? free, maxReceiveBatch);
            try {
                this.enqueuedSinceReceive = false;
                batch = await this.broker.receive(this.entity, wanted);
            } catch (error) {
                if (!this.stopped)
                    this.logger.warn('serviceBus receive failed', { path: this.entity.path, error: errorText(error) });
                await this.pause(maxIdleMs);
                continue;
            }
            if (batch.length === 0) {
                await this.pause(idle, true);
                idle = Math.min(idle * 2, maxIdleMs);
                continue;
            }
            const units = this.options.batchSize ? [batch] : batch.map((message) => [message]);
            for (const unit of units) {
                this.running++;
                const work = this.process(unit).finally(() => {
                    this.running--;
                    this.inFlight.delete(work);
                    // Only a pump waiting for free slots needs to know; an idle one waits for messages.
                    if (this.waitingForSlots) this.wake?.();
                });
                this.inFlight.add(work);
            }
            // A short batch emptied the queue: wait for the next enqueue (or the idle timer, for messages that
            // become visible by themselves) instead of asking again at once and finding nothing, one storage read
            // per message saved.
            if (batch.length < wanted) {
                await this.pause(minIdleMs, true);
                idle = minIdleMs * 2;
            } else idle = minIdleMs;
        }
    }

    private async process(messages: LockedMessage[]): Promise<void> {
        let settling: Promise<unknown> = Promise.resolve();
        const lockMs = this.broker.settingsOf(this.entity).lockDurationSeconds * 1000;
        const renewal = setInterval(() => {
            for (const message of messages) {
                settling = settling
                    .then(() => this.broker.renewLock(message))
                    .catch((error) => this.logger.warn('serviceBus lock renewal failed', this.facts(message, error)));
            }
        }, lockMs / 2);
        let failed = false;
        try {
            if (this.options.batchSize) {
                await this.deliver(
                    messages.map((message) => triggerPayload(message.body)),
                    batchTriggerMetadata(messages),
                );
            } else {
                await this.deliver(triggerPayload(messages[0]!.body), triggerMetadata(messages[0]!));
            }
        } catch {
            // The host already logged the failed invocation; the broker decides between redelivery and dead-letter.
            failed = true;
        } finally {
            clearInterval(renewal);
        }
        await settling;
        for (const message of messages) {
            try {
                await (failed ? this.broker.abandon(message) : this.broker.complete(message));
            } catch (error) {
                // Lost the lock (e.g. it expired under a long handler): the message comes back, as in Service Bus.
                this.logger.warn('serviceBus settle failed', this.facts(message, error));
            }
        }
    }

    private facts(message: LockedMessage, error: unknown): Record<string, unknown> {
        return { path: this.entity.path, messageId: message.envelope.messageId, error: errorText(error) };
    }

    /** Waits `ms`, or until woken; `untilEnqueued`: not at all when a message came in since the last receive. */
    private pause(ms: number, untilEnqueued = false): Promise<void> {
        if (untilEnqueued && this.enqueuedSinceReceive) return Promise.resolve();
        return new Promise((resolve) => {
            const done = (): void => {
                clearTimeout(timer);
                this.wake = undefined;
                resolve();
            };
            const timer = setTimeout(done, ms);
            this.wake = done;
        });
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
