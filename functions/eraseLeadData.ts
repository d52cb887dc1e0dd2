import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
import { eraseLeadData, type EraseLeadDataDeps } from '../shared/app/privacy/eraseLeadData';
import type { LeadErasureResult, LeadStepInput } from '../shared/app/privacy/erasureTypes';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';

export function createEraseLeadDataActivity(deps: () => Omit<EraseLeadDataDeps, 'logger'>) {
    return (input: unknown, context: InvocationContext): Promise<LeadErasureResult> =>
        eraseLeadData({ ...deps(), logger: contextLogger(context) }, input as LeadStepInput);
}

export const eraseLeadDataActivity = createEraseLeadDataActivity(() => {
    const d = getDeps();
    return { log: d.privacy.log, leads: d.privacy.leads, now: d.now };
});

df.app.activity(durableNames.eraseLeadData, { handler: eraseLeadDataActivity });
