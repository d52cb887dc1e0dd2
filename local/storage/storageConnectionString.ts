export interface StoragePorts {
    blob: number;
    queue: number;
    table: number;
}

/** The ports `UseDevelopmentStorage=true` means. */
export const STANDARD_STORAGE_PORTS: StoragePorts = { blob: 10000, queue: 10001, table: 10002 };

/** Azurite's well-known development account key (public, documented by Microsoft; not a secret). */
const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function storageConnectionString(ports: StoragePorts): string {
    const base = 'http://127.0.0.1';
    return (
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_ACCOUNT_KEY};` +
        `BlobEndpoint=${base}:${ports.blob}/devstoreaccount1;QueueEndpoint=${base}:${ports.queue}/devstoreaccount1;` +
        `TableEndpoint=${base}:${ports.table}/devstoreaccount1;`
    );
}

export function isStandardPorts(ports: StoragePorts): boolean {
    return (
        ports.blob === STANDARD_STORAGE_PORTS.blob &&
        ports.queue === STANDARD_STORAGE_PORTS.queue &&
        ports.table === STANDARD_STORAGE_PORTS.table
    );
}

/**
 * Points settings that say `UseDevelopmentStorage=true` at this Azurite when it does not listen on the standard
 * ports (SDKs expand that shorthand to 10000-10002). Returns the names it rewrote.
 */
export function rewriteDevelopmentStorageSettings(ports: StoragePorts, env: NodeJS.ProcessEnv = process.env): string[] {
    if (isStandardPorts(ports)) return [];
    const explicit = storageConnectionString(ports);
    const rewritten: string[] = [];
    for (const [name, value] of Object.entries(env)) {
        if (value?.replace(/;\s*$/, '').trim().toLowerCase() === 'usedevelopmentstorage=true') {
            env[name] = explicit;
            rewritten.push(name);
        }
    }
    return rewritten;
}
