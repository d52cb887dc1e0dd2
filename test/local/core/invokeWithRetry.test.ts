import type { HostContext, Registration } from '../../../local/contracts';
import { invokeWithRetry, retryDelayMs } from '../../../local/host/invokeWithRetry';

const seconds = (s: number): { seconds: number; nanos: number } => ({ seconds: s, nanos: 0 });

describe('function retry policies', () => {
    test('when the strategy is exponential backoff then delays double from the minimum up to the maximum', () => {
        const policy = { strategy: 'exponentialBackoff', minimumInterval: seconds(2), maximumInterval: seconds(10) };
        expect([1, 2, 3, 4].map((n) => retryDelayMs(policy, n))).toEqual([2000, 4000, 8000, 10000]);
    });

    test('when the strategy is fixed delay then every retry waits the same', () => {
        const policy = { strategy: 'fixedDelay', delayInterval: { seconds: 0, nanos: 250_000_000 } };
        expect([1, 2, 3].map((n) => retryDelayMs(policy, n))).toEqual([250, 250, 250]);
    });

    test('when every attempt fails then it tries 1 + maxRetryCount times and rejects with the last error', async () => {
        const contexts: unknown[] = [];
        const host = {
            invoke: (_r: Registration, _i: unknown, options?: { retryContext?: unknown }) => {
                contexts.push(options?.retryContext);
                return Promise.reject(new Error(`attempt ${contexts.length}`));
            },
        } as unknown as HostContext;
        const registration = {
            metadata: { retryOptions: { strategy: 'fixedDelay', maxRetryCount: 2, delayInterval: seconds(0) } },
        } as unknown as Registration;
        await expect(invokeWithRetry(host, registration, {})).rejects.toThrow('attempt 3');
        expect(contexts).toEqual([
            { retryCount: 0, maxRetryCount: 2 },
            { retryCount: 1, maxRetryCount: 2 },
            { retryCount: 2, maxRetryCount: 2 },
        ]);
    });

    test('when there is no policy then it is a single invocation without retry context', async () => {
        const calls: unknown[] = [];
        const host = {
            invoke: (_r: Registration, _i: unknown, options?: unknown) => {
                calls.push(options);
                return Promise.reject(new Error('once'));
            },
        } as unknown as HostContext;
        await expect(invokeWithRetry(host, { metadata: {} } as unknown as Registration, {})).rejects.toThrow('once');
        expect(calls).toEqual([{}]);
    });
});
