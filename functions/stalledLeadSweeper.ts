import { app, type InvocationContext, type Timer } from '@azure/functions';

import { contextLogger } from '../shared/app/contextLogger';
import { requeueStalledLeads, type SweepDeps } from '../shared/app/requeueStalledLeads';
import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';

/** Every 5 minutes: leads stored but still `received` after 10 minutes are enqueued again. */
export function createStalledLeadSweeper(deps: () => Omit<SweepDeps, 'logger'>) {
    return async (_timer: Timer, context: InvocationContext): Promise<void> => {
        await requeueStalledLeads(
            { ...deps(), logger: contextLogger(context) },
            { stalledAfterMinutes: 10, lookBackDays: 7 },
        );
    };
}

export const stalledLeadSweeper = createStalledLeadSweeper(getDeps);

app.timer(functionNames.stalledLeadSweeper, { schedule: '0 */5 * * * *', handler: stalledLeadSweeper });
