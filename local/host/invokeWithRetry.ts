import { setTimeout as sleep } from 'node:timers/promises';

import type { HostContext, InvocationOutcome, InvokeOptions, Registration } from '../contracts';

interface RpcDuration {
    seconds?: number | string;
    nanos?: number;
}

interface RetryOptions {
    strategy?: string;
    retryStrategy?: string;
    maxRetryCount?: number;
    delayInterval?: RpcDuration;
    minimumInterval?: RpcDuration;
    maximumInterval?: RpcDuration;
}

function toMs(duration: RpcDuration | undefined): number {
    if (!duration) return 0;
    return Number(duration.seconds ?? 0) * 1000 + Math.floor((duration.nanos ?? 0) / 1e6);
}

/** The wait before retry number `retry` (1-based), as the host's fixed-delay and exponential-backoff strategies do. */
export function retryDelayMs(options: RetryOptions, retry: number): number {
    const strategy = (options.strategy ?? options.retryStrategy ?? '').toLowerCase();
    if (strategy === 'exponentialbackoff') {
        const min = toMs(options.minimumInterval);
        const max = toMs(options.maximumInterval);
        return Math.min(max, min * 2 ** (retry - 1));
    }
    return toMs(options.delayInterval);
}

/**
 * Invokes with the function's retry policy (`retry` in the function options, seen as `metadata.retryOptions`):
 * a failed run is retried up to `maxRetryCount` times (-1: until it succeeds or `shouldStop()`), each attempt with
 * `context.retryContext`. Without a policy it is one plain invocation. Rejects with the last error.
 */
export async function invokeWithRetry(
    host: HostContext,
    registration: Registration,
    input: unknown,
    options: InvokeOptions = {},
    shouldStop: () => boolean = () => false,
): Promise<InvocationOutcome> {
    const policy = registration.metadata.retryOptions as RetryOptions | undefined;
    const max = policy?.maxRetryCount ?? 0;
    if (!policy || max === 0) return host.invoke(registration, input, options);
    for (let retry = 0; ; retry++) {
        try {
            return await host.invoke(registration, input, {
                ...options,
                retryContext: { retryCount: retry, maxRetryCount: max },
            });
        } catch (err) {
            if ((max >= 0 && retry >= max) || shouldStop()) throw err;
            await sleep(retryDelayMs(policy, retry + 1));
            if (shouldStop()) throw err;
        }
    }
}
