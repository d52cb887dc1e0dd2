import { TableClient, type TableEntity } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import type { DurableStore } from './DurableStore';
import type { EntityRecord, InstanceRecord } from './records';

/** A Table string property holds 64 KiB of UTF-16; an entity at most 1 MiB. Beyond the chunks, the JSON goes to a blob. */
const CHUNK_CHARS = 30_000;
const MAX_CHUNKS = 15;

type Row = TableEntity<Record<string, unknown>>;

/**
 * Instances and entities as rows of two Azurite tables (`<hub>Instances`, `<hub>Entities`), one row per record:
 * index columns for humans and Storage Explorer, the JSON document split over `d0..dN` string properties, or a blob
 * when it is larger than a Table entity may be.
 */
export class TableDurableStore implements DurableStore {
    private readonly instances: TableClient;
    private readonly entities: TableClient;
    private readonly blobs: ContainerClient;

    constructor(connectionString: string, hubName: string) {
        const safe = hubName.replace(/[^A-Za-z0-9]/g, '') || 'LocalHub';
        const table = /^[A-Za-z]/.test(safe) ? safe : `h${safe}`;
        const options = { allowInsecureConnection: true };
        this.instances = TableClient.fromConnectionString(connectionString, `${table}Instances`, options);
        this.entities = TableClient.fromConnectionString(connectionString, `${table}Entities`, options);
        const container = `${table.toLowerCase().slice(0, 40)}-durable-large`;
        this.blobs = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
    }

    async init(): Promise<void> {
        await Promise.all([this.instances.createTable(), this.entities.createTable(), this.blobs.createIfNotExists()]);
    }

    async loadInstances(): Promise<InstanceRecord[]> {
        return this.loadAll<InstanceRecord>(this.instances, 'instance');
    }

    async loadEntities(): Promise<EntityRecord[]> {
        return this.loadAll<EntityRecord>(this.entities, 'entity');
    }

    async saveInstance(record: InstanceRecord): Promise<void> {
        const index = { name: record.name, runtimeStatus: record.runtimeStatus, createdTime: record.createdTime };
        await this.save(this.instances, 'instance', record.instanceId, JSON.stringify(record), index);
    }

    async deleteInstance(instanceId: string): Promise<void> {
        try {
            await this.instances.deleteEntity('instance', rowKey(instanceId));
        } catch (error) {
            if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        }
        await this.blobs.deleteBlob(`instance/${rowKey(instanceId)}.json`).catch(() => undefined);
    }

    async saveEntity(record: EntityRecord): Promise<void> {
        await this.save(this.entities, 'entity', record.entity, JSON.stringify(record), { name: record.name });
    }

    private async save(
        table: TableClient,
        partitionKey: string,
        id: string,
        json: string,
        index: Record<string, string>,
    ): Promise<void> {
        const row: Row = { partitionKey, rowKey: rowKey(id), ...index };
        if (json.length <= CHUNK_CHARS * MAX_CHUNKS) {
            const chunks = Math.ceil(json.length / CHUNK_CHARS);
            row.chunks = chunks;
            for (let i = 0; i < chunks; i++) row[`d${i}`] = json.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);
        } else {
            const blob = this.blobs.getBlockBlobClient(`${partitionKey}/${rowKey(id)}.json`);
            await blob.upload(json, Buffer.byteLength(json));
            row.blob = blob.name;
        }
        await table.upsertEntity(row, 'Replace');
    }

    private async loadAll<T>(table: TableClient, partitionKey: string): Promise<T[]> {
        const out: T[] = [];
        const rows = table.listEntities<Record<string, unknown>>({
            queryOptions: { filter: `PartitionKey eq '${partitionKey}'` },
        });
        for await (const row of rows) {
            if (typeof row.blob === 'string') {
                const buffer = await this.blobs.getBlockBlobClient(row.blob).downloadToBuffer();
                out.push(JSON.parse(buffer.toString('utf8')) as T);
                continue;
            }
            let json = '';
            for (let i = 0; i < Number(row.chunks); i++) json += String(row[`d${i}`]);
            out.push(JSON.parse(json) as T);
        }
        return out;
    }
}

/** RowKey forbids `/ \ # ?` and control characters. */
function rowKey(id: string): string {
    return encodeURIComponent(id);
}
