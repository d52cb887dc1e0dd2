import type { RunPurger } from '../../ports/RunPurger';
import type { PurgeRunsInput } from './erasureTypes';

/** Purges the histories (inputs, outputs, events) of the lead runs that have ended; resolves how many. */
export function purgeLeadRuns(runs: RunPurger, input: PurgeRunsInput): Promise<number> {
    return runs.purge([...new Set(input.runIds)]);
}
