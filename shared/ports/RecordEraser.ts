import type { TargetType } from '../domain/index';

/**
 * How deleting one record went. `erased`: deleted now; `absent`: the target no longer has it (deleted before, or by
 * someone else); `transient`: may work later (retry, honouring `retryAfterMs`); `permanent`: will not work until
 * someone changes something (a permission, a setting). `error` names codes, never personal data.
 */
export type RecordErasure =
    | { recordId: string; outcome: 'erased' }
    | { recordId: string; outcome: 'absent' }
    | { recordId: string; outcome: 'transient'; error: string; httpStatus?: number; retryAfterMs?: number }
    | { recordId: string; outcome: 'permanent'; error: string; httpStatus?: number };

/**
 * Deletes the records the pipeline wrote into one target, by the ids the target answered when they were written.
 * Never throws for a target's answer: every record gets its outcome.
 */
export interface RecordEraser {
    readonly target: string;
    readonly type: TargetType;
    erase(recordIds: readonly string[]): Promise<RecordErasure[]>;
}
