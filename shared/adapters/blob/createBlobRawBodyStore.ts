/* eslint-disable @typescript-eslint/no-require-imports -- the SDK loads with the first large body, not the app */
import type { TokenCredential } from '@azure/identity';
import type * as Blob from '@azure/storage-blob';
import type { ContainerClient } from '@azure/storage-blob';

import type { RawBodyStore } from '../../ports/RawBodyStore';

export type BlobConnection = { connectionString: string } | { endpoint: string; credential: TokenCredential };

/**
 * Raw bodies too large for a Table property, one blob per lead; the container is created on first use, and the
 * Blob SDK is loaded then too (most leads never need it).
 */
export function createBlobRawBodyStore(connection: BlobConnection, containerName: string): RawBodyStore {
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
    return {
        async put(name, bytes) {
            await (await ready()).getBlockBlobClient(name).uploadData(bytes, {
                blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
            });
        },
        async get(name) {
            try {
                return new Uint8Array(await (await ready()).getBlockBlobClient(name).downloadToBuffer());
            } catch (err) {
                if ((err as { statusCode?: unknown }).statusCode === 404) return undefined;
                throw err;
            }
        },
    };
}
