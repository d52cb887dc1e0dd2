import { TableClient } from '@azure/data-tables';

import { startAzurite } from './azurite';

describe('the Azurite test harness', () => {
    it('starts an in-memory Azurite on free loopback ports that the Tables SDK can use', async () => {
        const azurite = await startAzurite();
        try {
            const table = TableClient.fromConnectionString(azurite.connectionString, 'HarnessCheck', {
                allowInsecureConnection: true,
            });
            await table.createTable();
            await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 42 });
            const entity = await table.getEntity<{ value: number }>('p', 'r');
            expect(entity.value).toBe(42);
        } finally {
            await azurite.stop();
        }
    });
});
