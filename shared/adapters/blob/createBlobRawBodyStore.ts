import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, RestError } from '@azure/storage-blob';

import type { RawBodyStore } from '../../ports/RawBodyStore';

export type BlobConnection = { connectionString: string } | { endpoint: string; credential: TokenCredential };

/** Raw bodies too large for a Table property, one blob per lead; the container is created on first use. */
export function createBlobRawBodyStore(connection: BlobConnection, containerName: string): RawBodyStore {
    let container: Promise<ContainerClient> | undefined;
    const ready = () => {
        container ??= (async () => {
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
                if (err instanceof RestError && err.statusCode === 404) return undefined;
                throw err;
            }
        },
    };
}
