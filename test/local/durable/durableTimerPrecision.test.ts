import * as df from 'durable-functions';

import { MemoryDurableStore } from '../../../local/durable/DurableStore';
import { nextAttemptAt } from '../../../shared/app/retryDelay';
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

describe('the pipeline retry timer', () => {
    const policy = {
        maxAttempts: 5,
        firstRetryIntervalSeconds: 2,
        backoffCoefficient: 2,
        maxRetryIntervalSeconds: 60,
        deadlineMinutes: 60,
    };
    const now = Date.parse('2026-11-21T06:00:00.250Z');

    it('when timers keep milliseconds then the next attempt is due exactly after the backoff, not rounded up to a second', () => {
        expect(nextAttemptAt(policy, 2, now, undefined, undefined)).toBe(now + 4000);
    });

    it('when the target asked for a later time then that exact time is kept', () => {
        const retryAt = '2026-11-21T06:00:09.700Z';
        expect(nextAttemptAt(policy, 1, now, 9000, retryAt)).toBe(Date.parse(retryAt));
    });
});
