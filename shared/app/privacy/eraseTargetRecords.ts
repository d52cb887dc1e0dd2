import { ConfigError, ensureError } from '../../domain/index';
import type { Logger } from '../../ports/Logger';
import type { RecordEraser } from '../../ports/RecordEraser';
import type { EraseRecordsInput, EraseRecordsResult } from './erasureTypes';

export interface EraseTargetRecordsDeps {
    /** The target's eraser; throws `ConfigError` when it cannot be built (settings gone, a type that cannot erase). */
    eraser(target: string, logger: Logger): RecordEraser | undefined;
    logger: Logger;
}

/**
 * One attempt at deleting records from one target. A target that cannot be built fails every record for good (the
 * message names the options, never values); the orchestration retries only transient outcomes.
 */
export async function eraseTargetRecords(
    deps: EraseTargetRecordsDeps,
    input: EraseRecordsInput,
): Promise<EraseRecordsResult> {
    let eraser: RecordEraser | undefined;
    let problem: string | undefined;
    try {
        eraser = deps.eraser(input.target, deps.logger);
    } catch (err) {
        problem =
            err instanceof ConfigError
                ? `ConfigError: ${err.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`
                : `${ensureError(err).name}: target ${input.target} could not be built`;
    }
    if (eraser === undefined) {
        const error = (problem ?? `Target ${input.target} is not configured`).slice(0, 500);
        return input.recordIds.map((recordId) => ({ recordId, outcome: 'permanent', error }));
    }
    const results = await eraser.erase(input.recordIds);
    const tally = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
    deps.logger.info('Target records erased', {
        erasureId: input.erasureId,
        target: input.target,
        attempt: input.attempt,
        erased: tally('erased'),
        absent: tally('absent'),
        transient: tally('transient'),
        permanent: tally('permanent'),
    });
    return results;
}
