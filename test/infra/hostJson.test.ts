import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './bicepTemplates';

const host = JSON.parse(readFileSync(join(repoRoot, 'host.json'), 'utf8')) as {
    extensions: { durableTask: { hubName: string; storageProvider: Record<string, string> } };
};
const durable = host.extensions.durableTask;

describe('host.json: the Durable backend, where the scale controller reads it', () => {
    it('when the backend is chosen, then host.json names it (AzureStorage or azureManaged), never an app-setting override', () => {
        expect(['AzureStorage', 'azureManaged']).toContain(durable.storageProvider.type);
        expect(durable.hubName).toBe('%TASKHUB_NAME%');
    });

    it('when the Azure Storage backend is used, then idle queues are polled at least every second (default back-off: 30 s per step)', () => {
        if (durable.storageProvider.type !== 'AzureStorage') return;
        // maxQueuePollingInterval: "The maximum control and work-item queue polling interval", default 00:00:30
        // (host.json settings for Durable Functions). At 1 s a lead's first orchestration step waits at most 1 s.
        expect(durable.storageProvider.maxQueuePollingInterval).toBe('00:00:01');
    });

    it('when the scheduler backend is chosen, then its connection is the setting the Bicep provides', () => {
        if (durable.storageProvider.type !== 'azureManaged') return;
        expect(durable.storageProvider.connectionStringName).toBe('DURABLE_TASK_SCHEDULER_CONNECTION_STRING');
    });
});
