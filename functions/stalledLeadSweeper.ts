import { app, type InvocationContext, type Timer } from '@azure/functions';

import { contextLogger } from '../shared/app/contextLogger';
import type { ListLeadsDeps } from '../shared/app/listLeads';
import { reportStalledDeliveries } from '../shared/app/reportStalledDeliveries';
import { requeueStalledLeads, type SweepDeps } from '../shared/app/requeueStalledLeads';
import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';

const LOOK_BACK_DAYS = 7;

/**
 * Every 5 minutes: leads stored but still `received` after 10 minutes are enqueued again, and leads left
 * `delivering` by a run that is gone are counted and reported (warning and `leads.stalled`) for an operator.
 */
export function createStalledLeadSweeper(deps: () => Omit<SweepDeps, 'logger'> & Pick<ListLeadsDeps, 'delivery'>) {
    return async (_timer: Timer, context: InvocationContext): Promise<void> => {
        const d = { ...deps(), logger: contextLogger(context) };
        await requeueStalledLeads(d, { stalledAfterMinutes: 10, lookBackDays: LOOK_BACK_DAYS });
        await reportStalledDeliveries(d, LOOK_BACK_DAYS);
    };
}

export const stalledLeadSweeper = createStalledLeadSweeper(() => {
    const d = getDeps();
    return { leads: d.leads, publisher: d.publisher, now: d.now, delivery: d.config.pipeline.delivery };
});

app.timer(functionNames.stalledLeadSweeper, { schedule: '0 */5 * * * *', handler: stalledLeadSweeper });
