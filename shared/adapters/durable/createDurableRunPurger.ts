import type { DurableClient } from 'durable-functions';
import * as df from 'durable-functions';

import type { RunPurger } from '../../ports/RunPurger';

const ENDED = [
    df.OrchestrationRuntimeStatus.Completed,
    df.OrchestrationRuntimeStatus.Failed,
    df.OrchestrationRuntimeStatus.Canceled,
    df.OrchestrationRuntimeStatus.Terminated,
];
const endedSet: ReadonlySet<string> = new Set(ENDED);

const isNotFound = (err: unknown) => err instanceof Error && /HTTP 404|No instance with ID/u.test(err.message);

/**
 * Durable runs through the Durable Functions client. A run is terminated before it is purged: a purge applies to
 * ended runs only (Azure Storage keeps a running instance's history), and termination does not stop an activity
 * already running, which is why an erasure sweeps the lead again after the runs have ended.
 */
export function createDurableRunPurger(client: DurableClient): RunPurger {
    async function stateOf(instanceId: string): Promise<'ended' | 'running' | 'gone'> {
        try {
            const status = await client.getStatus(instanceId, {
                showHistory: false,
                showHistoryOutput: false,
                showInput: false,
            });
            return endedSet.has(status.runtimeStatus) ? 'ended' : 'running';
        } catch (err) {
            if (isNotFound(err)) return 'gone';
            throw err;
        }
    }
    return {
        async stop(instanceIds, reason) {
            const running: string[] = [];
            for (const id of instanceIds) {
                if ((await stateOf(id)) !== 'running') continue;
                try {
                    await client.terminate(id, reason);
                } catch (err) {
                    if (!isNotFound(err)) throw err;
                }
                if ((await stateOf(id)) === 'running') running.push(id);
            }
            return running;
        },
        async purge(instanceIds) {
            let purged = 0;
            for (const id of instanceIds) {
                if ((await stateOf(id)) !== 'ended') continue;
                purged += (await client.purgeInstanceHistory(id)).instancesDeleted;
            }
            return purged;
        },
        async purgeEndedBetween(from, to) {
            const result = await client.purgeInstanceHistoryBy({
                // The client requires a start when it talks to the webhook API; the epoch is "from the beginning".
                createdTimeFrom: from ?? new Date(0),
                createdTimeTo: to,
                runtimeStatus: ENDED,
            });
            return result.instancesDeleted;
        },
    };
}
