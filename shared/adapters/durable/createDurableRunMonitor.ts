import type { DurableClient } from 'durable-functions';
import * as df from 'durable-functions';

import type { RunMonitor } from '../../ports/RunMonitor';

const ENDED: ReadonlySet<string> = new Set([
    df.OrchestrationRuntimeStatus.Completed,
    df.OrchestrationRuntimeStatus.Failed,
    df.OrchestrationRuntimeStatus.Canceled,
    df.OrchestrationRuntimeStatus.Terminated,
]);

/** Reads a run's state through the Durable Functions client (status only: no history, no input or output). */
export function createDurableRunMonitor(client: DurableClient): RunMonitor {
    return {
        async stateOf(instanceId) {
            try {
                const status = await client.getStatus(instanceId, {
                    showHistory: false,
                    showHistoryOutput: false,
                    showInput: false,
                });
                return ENDED.has(status.runtimeStatus) ? 'ended' : 'running';
            } catch (err) {
                if (err instanceof Error && /HTTP 404/u.test(err.message)) return 'unknown';
                throw err;
            }
        },
    };
}
