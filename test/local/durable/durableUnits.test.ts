import { CoalescingWriter } from '../../../local/durable/CoalescingWriter';
import { flattenActions, stateFromOrchestratorError } from '../../../local/durable/protocol';
import { retryDelay } from '../../../local/durable/retryDelay';

describe('retry delay (DTFx RetryInterceptor rule)', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');

    it('when attempts fail then the delay grows by the backoff coefficient and is capped by the max interval', () => {
        const options = {
            firstRetryIntervalInMilliseconds: 100,
            maxNumberOfAttempts: 6,
            backoffCoefficient: 2,
            maxRetryIntervalInMilliseconds: 500,
        };
        expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(options, attempt, t0, t0))).toEqual([
            100, 200, 400, 500, 500,
        ]);
    });

    it('when the last attempt failed then its retry interval is still waited out before the failure is reported', () => {
        expect(retryDelay({ firstRetryIntervalInMilliseconds: 100, maxNumberOfAttempts: 2 }, 2, t0, t0)).toBe(100);
    });

    it('when the retry timeout has passed at a failure then retrying stops at once', () => {
        const options = {
            firstRetryIntervalInMilliseconds: 1000,
            maxNumberOfAttempts: 5,
            retryTimeoutInMilliseconds: 1500,
        };
        expect(retryDelay(options, 1, t0, t0)).toBe(1000);
        expect(retryDelay(options, 2, t0, new Date(t0.getTime() + 1499))).toBe(1000);
        expect(retryDelay(options, 3, t0, new Date(t0.getTime() + 1500))).toBeUndefined();
    });
});

describe('orchestrator state decoding', () => {
    it('when a task is yielded alone and again inside Task.any then it counts once', () => {
        const timer = { actionType: 5, fireAt: 'x', isCanceled: false };
        const event = { actionType: 6, externalEventName: 'a' };
        const leaves = flattenActions([[timer, { actionType: 11, compoundActions: [event, timer] }]]);
        expect(leaves).toEqual([timer, event]);
    });

    it('when the orchestrator throws then the embedded state is recovered from the error text', () => {
        const error = new Error('false\n\n$OutOfProcData$:{"isDone":false,"actions":[[]],"error":"bad input"}');
        expect(stateFromOrchestratorError(error)).toEqual({ isDone: false, actions: [[]], error: 'bad input' });
        expect(stateFromOrchestratorError(new Error('plain'))).toBeUndefined();
    });
});

describe('coalescing writer', () => {
    it('when writes for one key overlap then they run one at a time and a burst collapses into one follow-up write', async () => {
        let running = 0;
        let maxRunning = 0;
        const seen: number[] = [];
        let value = 0;
        const writer = new CoalescingWriter(() => undefined);
        const write = async (): Promise<void> => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            const snapshot = value;
            await new Promise((resolve) => setTimeout(resolve, 10));
            seen.push(snapshot);
            running--;
        };
        const pending: Array<Promise<void>> = [];
        for (let i = 1; i <= 5; i++) {
            value = i;
            pending.push(writer.write('k', write));
        }
        await Promise.all(pending);
        expect(maxRunning).toBe(1);
        expect(seen).toEqual([1, 5]);
    });

    it('when a write fails then its callers are rejected and the error is reported', async () => {
        const errors: string[] = [];
        const writer = new CoalescingWriter((key) => errors.push(key));
        await expect(writer.write('bad', () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
        expect(errors).toEqual(['bad']);
    });
});
