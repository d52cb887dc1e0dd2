import type { EntityRecord, InstanceRecord } from './records';

/** Where instances and entities live between restarts. Records are whole JSON documents; writes replace them. */
export interface DurableStore {
    init(): Promise<void>;
    loadInstances(): Promise<InstanceRecord[]>;
    loadEntities(): Promise<EntityRecord[]>;
    saveInstance(record: InstanceRecord): Promise<void>;
    deleteInstance(instanceId: string): Promise<void>;
    saveEntity(record: EntityRecord): Promise<void>;
}

/** Keeps JSON copies only; for engine unit tests and as the reference behaviour of a store. */
export class MemoryDurableStore implements DurableStore {
    readonly instances = new Map<string, string>();
    readonly entities = new Map<string, string>();
    writes = 0;

    init(): Promise<void> {
        return Promise.resolve();
    }

    loadInstances(): Promise<InstanceRecord[]> {
        return Promise.resolve([...this.instances.values()].map((text) => JSON.parse(text) as InstanceRecord));
    }

    loadEntities(): Promise<EntityRecord[]> {
        return Promise.resolve([...this.entities.values()].map((text) => JSON.parse(text) as EntityRecord));
    }

    saveInstance(record: InstanceRecord): Promise<void> {
        this.writes++;
        this.instances.set(record.instanceId, JSON.stringify(record));
        return Promise.resolve();
    }

    deleteInstance(instanceId: string): Promise<void> {
        this.instances.delete(instanceId);
        return Promise.resolve();
    }

    saveEntity(record: EntityRecord): Promise<void> {
        this.writes++;
        this.entities.set(record.entity, JSON.stringify(record));
        return Promise.resolve();
    }
}
