import * as df from 'durable-functions';

import { MemoryDurableStore } from '../../../local/durable/DurableStore';
import { coreMock, type InProcessHost, startInProcessHost, waitForTerminal } from './support/inProcessHost';

jest.mock('@azure/functions-core', () => coreMock, { virtual: true });

/*
 * A timer due at x.999 s: if its due time lost the milliseconds on the way to the timer store it would fire at x.000,
 * almost a second early, and the orchestration would wake before the time it asked for.
 */
df.app.orchestration('preciseTimer', function* (context) {
    const start = context.df.currentUtcDateTime.getTime();
    const fireAt = new Date(Math.ceil(start / 1000) * 1000 + 1999);
    yield context.df.createTimer(fireAt);
    return { fireAt: fireAt.toISOString(), wokeAt: context.df.currentUtcDateTime.toISOString() };
});

describe('durable timers (in process, memory store)', () => {
    let host: InProcessHost;

    beforeAll(async () => {
        host = await startInProcessHost(
            { extensions: { durableTask: { hubName: 'TimerPrecisionHub' } } },
            { store: () => new MemoryDurableStore() },
        );
    });

    afterAll(async () => {
        await host.stop();
    });

    it('when a timer is due at a time with milliseconds then it never fires before that time', async () => {
        const id = await host.client.startNew('preciseTimer');
        const status = await waitForTerminal(host.client, id);
        expect(status.runtimeStatus).toBe('Completed');
        const output = status.output as { fireAt: string; wokeAt: string };
        expect(Date.parse(output.wokeAt)).toBeGreaterThanOrEqual(Date.parse(output.fireAt));
    });
});
