import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableRunPurger } from '../shared/adapters/durable/createDurableRunPurger';
import type { PurgeRunsInput } from '../shared/app/privacy/erasureTypes';
import { purgeLeadRuns } from '../shared/app/privacy/purgeLeadRuns';
import { durableNames } from '../shared/names';
import type { RunPurger } from '../shared/ports/RunPurger';

export function createPurgeLeadRunsActivity(runs: (context: InvocationContext) => RunPurger) {
    return (input: unknown, context: InvocationContext): Promise<number> =>
        purgeLeadRuns(runs(context), input as PurgeRunsInput);
}

export const purgeLeadRunsActivity = createPurgeLeadRunsActivity((context) =>
    createDurableRunPurger(df.getClient(context)),
);

df.app.activity(durableNames.purgeLeadRuns, {
    extraInputs: [df.input.durableClient()],
    handler: purgeLeadRunsActivity,
});
