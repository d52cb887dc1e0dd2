import { durableNames, instanceIds } from '../../names';
import type { ErasureLog } from '../../ports/ErasureLog';
import type { Logger } from '../../ports/Logger';
import type { OrchestrationStarter } from '../../ports/OrchestrationStarter';
import type { ErasureInput } from './erasureTypes';
import type { RequestErasureDeps } from './requestErasure';

export type RetryErasureDeps = Pick<RequestErasureDeps, 'targets' | 'retry' | 'graceSeconds'> & {
    log: ErasureLog;
    starter: OrchestrationStarter;
    logger: Logger;
};

export type RetryErasureResult =
    | { kind: 'not-found' }
    | { kind: 'not-retryable'; message: string }
    | { kind: 'started'; instanceId: string; records: number };

/**
 * Deletes again the records an erasure could not delete in a target (after a permission or a setting was fixed),
 * with the configuration as it is now. Only a finished erasure with records pending is retried, and one retry at a
 * time: the entry shows `running` until the retry ends.
 */
export async function retryErasure(deps: RetryErasureDeps, erasureId: string): Promise<RetryErasureResult> {
    const entry = await deps.log.get(erasureId);
    if (entry === undefined) return { kind: 'not-found' };
    if (entry.report.status === 'running') {
        return { kind: 'not-retryable', message: 'The erasure is still running.' };
    }
    if (entry.pending.length === 0) {
        return { kind: 'not-retryable', message: 'No record is left to delete in a target.' };
    }
    const retries = (entry.report.retries ?? 0) + 1;
    const report = { ...entry.report, status: 'running' as const, stage: 'targets' as const, retries };
    await deps.log.save({ report, pending: entry.pending });
    const instanceId = instanceIds.erasureRetry(erasureId, retries);
    const input: ErasureInput = {
        erasureId,
        requestedAt: report.requestedAt,
        scope: report.scope,
        targets: deps.targets,
        retry: deps.retry,
        graceSeconds: deps.graceSeconds,
        retryOf: { report, pending: entry.pending },
    };
    try {
        await deps.starter.start(durableNames.erasurePipeline, instanceId, input);
    } catch (err) {
        await deps.log.save(entry).catch(() => undefined);
        throw err;
    }
    deps.logger.info('Erasure retried', { erasureId, instanceId, records: entry.pending.length });
    return { kind: 'started', instanceId, records: entry.pending.length };
}
