import { randomUUID } from 'node:crypto';

import type { HostLogger } from '../contracts';
import type { CoalescingWriter } from './CoalescingWriter';
import type { DurableStore } from './DurableStore';
import { failureOf } from './protocol';
import {
    type EntityDelivery,
    type EntityRecord,
    type EntityRequest,
    entitySchedulerId,
    parseSchedulerId,
} from './records';

const BATCH_SIZE = 50;
const SEEN_KEPT = 1000;

export interface EntityDeps {
    store: DurableStore;
    writer: CoalescingWriter;
    logger: HostLogger;
    now(): Date;
    hasEntity(name: string): boolean;
    /** Runs one batch through the SDK's `Entity.handle`; returns its EntityState. */
    invokeEntity(name: string, binding: unknown): Promise<unknown>;
    deliverResponse(instanceId: string, requestId: string, payload: string): Promise<void>;
}

interface EntityStateResult {
    entityExists: boolean;
    entityState?: string;
    results: Array<{ isError: boolean; result?: string } | undefined>;
    signals: Array<{ target: { name: string; key: string }; name: string; input?: string }>;
}

/**
 * Durable entities: a persistent queue per entity, processed one batch at a time in arrival order. The new state,
 * the dequeued requests and the answers owed (outbox) are written together, then the answers are delivered;
 * receivers drop duplicates, so a crash between the two only repeats a delivery, never an operation.
 */
export class EntityEngine {
    readonly records = new Map<string, EntityRecord>();
    private readonly running = new Set<string>();
    private stopping = false;

    constructor(private readonly deps: EntityDeps) {}

    async recover(): Promise<void> {
        for (const record of await this.deps.store.loadEntities()) this.records.set(record.entity, record);
        for (const record of this.records.values()) {
            this.flush(record);
            this.kick(record);
        }
    }

    async enqueue(request: EntityRequest): Promise<void> {
        const record = this.recordFor(request.entity);
        if (record.seen.includes(request.id) || record.queue.some((queued) => queued.id === request.id)) return;
        record.queue.push(request);
        await this.persist(record);
        this.kick(record);
    }

    /** The entity's state, parsed, or undefined when it does not exist. */
    read(name: string, key: string): { exists: boolean; state: unknown } {
        const record = this.records.get(entitySchedulerId(name, key));
        if (!record?.exists) return { exists: false, state: undefined };
        return { exists: true, state: record.state === undefined ? null : (JSON.parse(record.state) as unknown) };
    }

    stop(): void {
        this.stopping = true;
    }

    private recordFor(entity: string): EntityRecord {
        let record = this.records.get(entity);
        if (!record) {
            const { name, key } = parseSchedulerId(entity);
            record = {
                entity,
                name,
                key,
                exists: false,
                queue: [],
                outbox: [],
                seen: [],
                lastUpdatedTime: this.deps.now().toISOString(),
            };
            this.records.set(entity, record);
        }
        return record;
    }

    private persist(record: EntityRecord): Promise<void> {
        return this.deps.writer.write(`entity:${record.entity}`, () => this.deps.store.saveEntity(record));
    }

    private kick(record: EntityRecord): void {
        if (this.running.has(record.entity) || this.stopping || record.queue.length === 0) return;
        this.running.add(record.entity);
        void this.process(record)
            .catch((error: unknown) =>
                this.deps.logger.error('durable entity batch failed', { entity: record.entity, error: String(error) }),
            )
            .finally(() => {
                this.running.delete(record.entity);
                if (record.queue.length > 0 && !this.stopping) this.kick(record);
            });
    }

    private async process(record: EntityRecord): Promise<void> {
        while (record.queue.length > 0 && !this.stopping) {
            const batch = record.queue.slice(0, BATCH_SIZE);
            const result = await this.run(record, batch);
            record.exists = result.entityExists;
            record.state = result.entityState;
            record.queue.splice(0, batch.length);
            record.seen = [...record.seen, ...batch.map((request) => request.id)].slice(-SEEN_KEPT);
            record.lastUpdatedTime = this.deps.now().toISOString();
            batch.forEach((request, i) => {
                const outcome = result.results[i];
                if (request.signal || !request.parent) return;
                record.outbox.push({
                    kind: 'response',
                    instanceId: request.parent,
                    requestId: request.id,
                    result: outcome?.isError ? errorResult(outcome.result, request.op) : outcome?.result,
                    exceptionType: outcome?.isError ? 'Error' : undefined,
                });
            });
            for (const signal of result.signals) {
                const target = entitySchedulerId(signal.target.name, signal.target.key);
                const request = {
                    id: randomUUID(),
                    entity: target,
                    op: signal.name,
                    input: signal.input || undefined,
                    signal: true,
                };
                record.outbox.push({ kind: 'signal', request });
            }
            await this.persist(record);
            this.flush(record);
        }
    }

    private async run(record: EntityRecord, batch: EntityRequest[]): Promise<EntityStateResult> {
        const binding = {
            self: { name: record.name, key: record.key },
            exists: record.exists,
            state: record.state,
            batch: batch.map((request) => ({
                id: request.id,
                name: request.op,
                input: request.input,
                signal: request.signal,
            })),
        };
        const failAll = (message: string): EntityStateResult => ({
            entityExists: record.exists,
            entityState: record.state,
            results: batch.map(() => ({ isError: true, result: JSON.stringify(message) })),
            signals: [],
        });
        if (!this.deps.hasEntity(record.name)) return failAll(`entity '${record.name}' is not registered`);
        try {
            return (await this.deps.invokeEntity(record.name, binding)) as EntityStateResult;
        } catch (error) {
            return failAll(failureOf(error).ErrorMessage);
        }
    }

    private flush(record: EntityRecord): void {
        for (const delivery of [...record.outbox]) {
            this.deliver(delivery).then(
                () => {
                    const at = record.outbox.indexOf(delivery);
                    if (at >= 0) record.outbox.splice(at, 1);
                },
                (error: unknown) =>
                    this.deps.logger.error('durable entity delivery failed', {
                        entity: record.entity,
                        error: String(error),
                    }),
            );
        }
    }

    private deliver(delivery: EntityDelivery): Promise<void> {
        if (delivery.kind === 'signal') return this.enqueue(delivery.request);
        const payload = JSON.stringify({ result: delivery.result, exceptionType: delivery.exceptionType });
        return this.deps.deliverResponse(delivery.instanceId, delivery.requestId, payload);
    }
}

/** The SDK serialises a thrown Error as `{}`; give the caller at least which operation failed. */
function errorResult(result: string | undefined, op: string): string {
    const parsed = result === undefined ? undefined : (JSON.parse(result) as unknown);
    const empty =
        parsed === undefined || (typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length === 0);
    return empty ? JSON.stringify(`entity operation '${op}' failed`) : (result ?? '');
}
