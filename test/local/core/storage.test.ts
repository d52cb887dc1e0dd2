import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';

import { rewriteDevelopmentStorageSettings } from '../../../local/storage/storageConnectionString';
import { startHost } from '../../support/host';
import { removeHostData } from '../../support/removeHostData';

const appDir = join(__dirname, '../../apps/basic');

describe('storage (Azurite started by the host)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-host-storage-'));
    afterAll(() => removeHostData(dataDir));

    test('when the host is SIGKILLed right after a write (disk) then a restarted host still has the data', async () => {
        const first = await startHost({ appDir, storage: 'disk', dataDir });
        try {
            const table = TableClient.fromConnectionString(first.storageConnectionString, 'CrashProbe', {
                allowInsecureConnection: true,
            });
            await table.createTable();
            await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 'kept' });
            const queue = new QueueClient(first.storageConnectionString, 'crash-probe');
            await queue.create();
            await queue.sendMessage('queued before the crash');
        } finally {
            // Azurite saves its files every 5 s; the kill comes well before that.
            await first.kill('SIGKILL');
        }

        const second = await startHost({ appDir, storage: 'disk', dataDir });
        try {
            const again = TableClient.fromConnectionString(second.storageConnectionString, 'CrashProbe', {
                allowInsecureConnection: true,
            });
            expect((await again.getEntity('p', 'r')).value).toBe('kept');
            const messages = await new QueueClient(second.storageConnectionString, 'crash-probe').receiveMessages();
            expect(messages.receivedMessageItems.map((m) => m.messageText)).toEqual(['queued before the crash']);
        } finally {
            await second.stop();
        }
    });

    test('when storage is memory then a restarted host starts empty', async () => {
        const first = await startHost({ appDir, storage: 'memory' });
        try {
            const table = TableClient.fromConnectionString(first.storageConnectionString, 'MemoryProbe', {
                allowInsecureConnection: true,
            });
            await table.createTable();
            await table.upsertEntity({ partitionKey: 'p', rowKey: 'r' });
        } finally {
            await first.stop();
        }
        const second = await startHost({ appDir, storage: 'memory' });
        try {
            const again = TableClient.fromConnectionString(second.storageConnectionString, 'MemoryProbe', {
                allowInsecureConnection: true,
            });
            await expect(again.getEntity('p', 'r')).rejects.toMatchObject({ statusCode: 404 });
        } finally {
            await second.stop();
        }
    });
});

describe('UseDevelopmentStorage=true rewriting', () => {
    test('when Azurite is on the standard ports then settings are left as they are', () => {
        const env = { AzureWebJobsStorage: 'UseDevelopmentStorage=true' };
        expect(rewriteDevelopmentStorageSettings({ blob: 10000, queue: 10001, table: 10002 }, env)).toEqual([]);
        expect(env.AzureWebJobsStorage).toBe('UseDevelopmentStorage=true');
    });

    test('when Azurite is on other ports then every such setting gets the explicit connection string', () => {
        const env = { A: 'UseDevelopmentStorage=true;', B: 'usedevelopmentstorage=true', C: 'other' };
        expect(rewriteDevelopmentStorageSettings({ blob: 1, queue: 2, table: 3 }, env).sort()).toEqual(['A', 'B']);
        expect(env.A).toContain('TableEndpoint=http://127.0.0.1:3/devstoreaccount1;');
        expect(env.C).toBe('other');
    });
});
