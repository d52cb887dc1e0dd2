/* eslint-disable @typescript-eslint/no-require-imports -- the SDK loads with the first large body, not the app */
import type { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type * as Blob from '@azure/storage-blob';
import type { ContainerClient } from '@azure/storage-blob';

import type { RawBodyStore } from '../../ports/RawBodyStore';
import { CIPHER_METADATA, newDataKey, openBody, sealBody } from './bodyCipher';
import { bodyKeys } from './bodyKeys';

export type BlobConnection = { connectionString: string } | { endpoint: string; credential: TokenCredential };

/**
 * Raw bodies too large for a Table property, one blob per body; the container is created on first use, and the
 * Blob SDK is loaded then too (most leads never need it). Each body
 * is encrypted with its own key, kept in a table row (`keys`): removing a body removes its key first, so what a
 * deleted blob leaves behind (the storage's soft delete, a backup, the local emulator's shared extent files) can
 * never be read again. Table rows have no soft delete.
 */
export function createBlobRawBodyStore(
    connection: BlobConnection,
    containerName: string,
    keys: () => Promise<TableClient>,
): RawBodyStore {
    let container: Promise<ContainerClient> | undefined;
    const ready = () => {
        container ??= (async () => {
            const { BlobServiceClient } = require('@azure/storage-blob') as typeof Blob;
            const service =
                'connectionString' in connection
                    ? BlobServiceClient.fromConnectionString(connection.connectionString)
                    : new BlobServiceClient(connection.endpoint, connection.credential);
            const c = service.getContainerClient(containerName);
            await c.createIfNotExists();
            return c;
        })();
        container.catch(() => (container = undefined));
        return container;
    };
    const keyRows = bodyKeys(keys);
    const remove = async (name: string): Promise<boolean> => {
        const hadKey = await keyRows.delete(name);
        const blob = await (await ready()).getBlockBlobClient(name).deleteIfExists();
        return hadKey || blob.succeeded;
    };
    return {
        async put(name, bytes) {
            // Two intakes of one lead at once share the key, so whichever upload lands last can be read.
            const key = await keyRows.getOrCreate(name, newDataKey);
            await (await ready()).getBlockBlobClient(name).uploadData(sealBody(key, bytes), {
                blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
                metadata: { ...CIPHER_METADATA },
            });
        },
        async get(name) {
            let stored: Buffer;
            let encrypted: boolean;
            try {
                const client = (await ready()).getBlockBlobClient(name);
                const properties = await client.getProperties();
                encrypted = properties.metadata?.encryption === CIPHER_METADATA.encryption;
                stored = await client.downloadToBuffer();
            } catch (err) {
                if ((err as { statusCode?: unknown }).statusCode === 404) return undefined;
                throw err;
            }
            if (!encrypted) return new Uint8Array(stored);
            const key = await keyRows.get(name);
            // The key goes first when a body is removed: without it the body is gone, whatever the blob says.
            return key === undefined ? undefined : new Uint8Array(openBody(key, stored));
        },
        delete: remove,
        async removeBefore(prefix, cutoff, limit) {
            const names: string[] = [];
            for await (const blob of (await ready()).listBlobsFlat({ prefix })) {
                const created = blob.properties.createdOn ?? blob.properties.lastModified;
                if (created < cutoff) names.push(blob.name);
                if (names.length >= limit) break;
            }
            for (const name of names) await remove(name);
            return names.length;
        },
    };
}
