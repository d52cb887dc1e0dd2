import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableRunPurger } from '../shared/adapters/durable/createDurableRunPurger';
import type { LeadStepInput, StopRunsResult } from '../shared/app/privacy/erasureTypes';
import { stopLeadRuns, type StopLeadRunsDeps } from '../shared/app/privacy/stopLeadRuns';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';

export function createStopLeadRunsActivity(deps: (context: InvocationContext) => StopLeadRunsDeps) {
    return (input: unknown, context: InvocationContext): Promise<StopRunsResult> =>
        stopLeadRuns(deps(context), input as LeadStepInput);
}

export const stopLeadRunsActivity = createStopLeadRunsActivity((context) => ({
    leads: getDeps().privacy.leads,
    runs: createDurableRunPurger(df.getClient(context)),
}));

df.app.activity(durableNames.stopLeadRuns, {
    extraInputs: [df.input.durableClient()],
    handler: stopLeadRunsActivity,
});
