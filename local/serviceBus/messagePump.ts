import { type HostLogger } from '../contracts';
import { type EntityPath } from './entityPath';
import { triggerPayload } from './envelope';
import { type LockedMessage } from './messageStore';
import { type ServiceBusBroker } from './serviceBusBroker';
import { triggerMetadata } from './triggerMetadata';

export type Deliver = (payload: unknown, metadata: Record<string, unknown>) => Promise<unknown>;

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
    private loop: Promise<void> | undefined;
    private readonly inFlight = new Set<Promise<void>>();
    private readonly onEnqueued = (path: string): void => {
        if (path.toLowerCase() === this.entity.path.toLowerCase()) this.wake?.();
    };

    constructor(
        private readonly broker: ServiceBusBroker,
        readonly entity: EntityPath,
        private readonly maxConcurrentCalls: number,
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
            const free = this.maxConcurrentCalls - this.running;
            if (free <= 0) {
                await this.pause(maxIdleMs);
                continue;
            }
            let batch: LockedMessage[] = [];
            try {
                batch = await this.broker.receive(this.entity, Math.min(free, maxReceiveBatch));
            } catch (error) {
                if (!this.stopped)
                    this.logger.warn('serviceBus receive failed', { path: this.entity.path, error: errorText(error) });
                await this.pause(maxIdleMs);
                continue;
            }
            if (batch.length === 0) {
                await this.pause(idle);
                idle = Math.min(idle * 2, maxIdleMs);
                continue;
            }
            idle = minIdleMs;
            for (const message of batch) {
                this.running++;
                const work = this.process(message).finally(() => {
                    this.running--;
                    this.inFlight.delete(work);
                    this.wake?.();
                });
                this.inFlight.add(work);
            }
        }
    }

    private async process(message: LockedMessage): Promise<void> {
        let settling: Promise<unknown> = Promise.resolve();
        const lockMs = this.broker.settingsOf(this.entity).lockDurationSeconds * 1000;
        const renewal = setInterval(() => {
            settling = settling
                .then(() => this.broker.renewLock(message))
                .catch((error) => this.logger.warn('serviceBus lock renewal failed', this.facts(message, error)));
        }, lockMs / 2);
        let failed = false;
        try {
            await this.deliver(triggerPayload(message.body), triggerMetadata(message));
        } catch {
            // The host already logged the failed invocation; the broker decides between redelivery and dead-letter.
            failed = true;
        } finally {
            clearInterval(renewal);
        }
        try {
            await settling;
            await (failed ? this.broker.abandon(message) : this.broker.complete(message));
        } catch (error) {
            // Lost the lock (e.g. it expired under a long handler): the message comes back, as in Service Bus.
            this.logger.warn('serviceBus settle failed', this.facts(message, error));
        }
    }

    private facts(message: LockedMessage, error: unknown): Record<string, unknown> {
        return { path: this.entity.path, messageId: message.envelope.messageId, error: errorText(error) };
    }

    private pause(ms: number): Promise<void> {
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
