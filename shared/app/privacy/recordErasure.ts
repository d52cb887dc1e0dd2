import type { ErasureLog } from '../../ports/ErasureLog';
import type { Logger } from '../../ports/Logger';
import { pipelineMetrics } from '../../telemetry/pipelineMetrics';
import type { RecordErasureInput } from './erasureTypes';

/** Saves the erasure's progress; the final save drops what the erasure looked for and counts it. */
export async function recordErasure(log: ErasureLog, logger: Logger, input: RecordErasureInput): Promise<void> {
    if (!input.final) {
        await log.save(input.entry);
        return;
    }
    await log.finish(input.entry);
    const { report } = input.entry;
    pipelineMetrics().erasures.add(1, { status: report.status });
    logger.info('Erasure finished', {
        erasureId: report.erasureId,
        status: report.status,
        ...report.counts,
        targetsFailed: report.targets.filter((t) => t.failed.length > 0).length,
    });
}
