import * as df from 'durable-functions';

import { TableDurableStore } from '../../../local/durable/TableDurableStore';
import { type AzuriteInstance, startAzurite } from '../../support/azurite';
import { coreMock, type InProcessHost, startInProcessHost, waitFor, waitForTerminal } from './support/inProcessHost';

jest.mock('@azure/functions-core', () => coreMock, { virtual: true });

describe('durable state in Azurite Table storage (in process)', () => {
    let azurite: AzuriteInstance;
    let host: InProcessHost | undefined;
    const hostJson = { extensions: { durableTask: { hubName: 'TableHub' } } };

    beforeAll(async () => {
        azurite = await startAzurite();
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app registers its functions on load
        require('../../apps/durable-basic/index.js');
    });

    afterAll(async () => {
        await host?.stop();
        await azurite?.stop();
    });

    it('when records exceed one Table property or one entity then they are split or moved to a blob and read back whole', async () => {
        const store = new TableDurableStore(azurite.connectionString, 'SplitHub');
        await store.init();
        const base = {
            runtimeStatus: 'Completed' as const,
            history: [],
            pending: [],
            actionIds: [],
            work: [],
            outbox: [],
        };
        const record = (id: string, size: number) => ({
            ...base,
            instanceId: id,
            executionId: 'e',
            name: 'n',
            input: null,
            output: 'x'.repeat(size),
            customStatus: null,
            createdTime: new Date().toISOString(),
            lastUpdatedTime: new Date().toISOString(),
            nextEventId: 0,
            retryByTask: {},
            retryByTimer: {},
        });
        await store.saveInstance(record('small/id?', 10));
        await store.saveInstance(record('medium', 200_000));
        await store.saveInstance(record('large', 2_000_000));
        const loaded = new Map((await store.loadInstances()).map((r) => [r.instanceId, r]));
        expect((loaded.get('small/id?')?.output as string).length).toBe(10);
        expect((loaded.get('medium')?.output as string).length).toBe(200_000);
        expect((loaded.get('large')?.output as string).length).toBe(2_000_000);
        await store.deleteInstance('large');
        expect((await store.loadInstances()).map((r) => r.instanceId).sort()).toEqual(['medium', 'small/id?']);
    });

    it('when the extension restarts on the same storage then waiting instances resume and entity state is kept', async () => {
        const connection = { storageConnectionString: azurite.connectionString };
        host = await startInProcessHost(hostJson, connection);
        const waiting = await host.client.startNew('waiter', { instanceId: 'resume-1' });
        await waitFor(async () =>
            (await host!.client.getStatus(waiting)).customStatus === 'waiting' ? true : undefined,
        );
        await host.client.signalEntity(new df.EntityId('counterEntity', 'table'), 'add', 4);
        await waitFor(async () =>
            (await host!.client.readEntityState(new df.EntityId('counterEntity', 'table'))).entityState === 4
                ? true
                : undefined,
        );
        await host.stop();

        host = await startInProcessHost(hostJson, connection);
        expect((await host.client.getStatus(waiting)).runtimeStatus).toBe('Running');
        await host.client.raiseEvent(waiting, 'go', 'x'.repeat(300_000));
        const status = await waitForTerminal(host.client, waiting);
        expect((status.output as string).length).toBe(300_000);
        expect((await host.client.readEntityState(new df.EntityId('counterEntity', 'table'))).entityState).toBe(4);
    });
});
