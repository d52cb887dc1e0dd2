import { ensureError, PermanentError, TransientError } from '../../domain/index';
import type { RecordErasure } from '../../ports/RecordEraser';

/** A failed delete as its record's outcome: the error's name and message (codes only, by the adapters' contract). */
export function failedErasure(recordId: string, err: unknown): RecordErasure {
    const error = ensureError(err);
    const text = `${error.name}: ${error.message}`.slice(0, 500);
    if (err instanceof PermanentError) {
        return { recordId, outcome: 'permanent', error: text, ...status(err.details.status) };
    }
    const retryAfterMs = err instanceof TransientError ? err.details.retryAfterMs : undefined;
    const httpStatus = err instanceof TransientError ? err.details.status : undefined;
    return {
        recordId,
        outcome: 'transient',
        error: text,
        ...status(httpStatus),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
}

const status = (httpStatus: number | undefined) => (httpStatus === undefined ? {} : { httpStatus });

/** Deletes records one at a time: one record's failure is its own outcome, the others still go. */
export async function eraseEach(
    recordIds: readonly string[],
    valid: RegExp,
    target: string,
    erase: (recordId: string) => Promise<'erased' | 'absent'>,
): Promise<RecordErasure[]> {
    const out: RecordErasure[] = [];
    for (const recordId of recordIds) {
        if (!valid.test(recordId)) {
            out.push({
                recordId,
                outcome: 'permanent',
                error: `${target}: the stored record id is not one this target issues`,
            });
            continue;
        }
        try {
            out.push(
                (await erase(recordId)) === 'erased'
                    ? { recordId, outcome: 'erased' }
                    : { recordId, outcome: 'absent' },
            );
        } catch (err) {
            out.push(failedErasure(recordId, err));
        }
    }
    return out;
}
