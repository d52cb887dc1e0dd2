import { app, type InvocationContext, type Timer } from '@azure/functions';

import { contextLogger } from '../shared/app/contextLogger';
import type { ListLeadsDeps } from '../shared/app/listLeads';
import { type LeadSilenceDeps, reportLeadSilence } from '../shared/app/reportLeadSilence';
import { reportStalledDeliveries } from '../shared/app/reportStalledDeliveries';
import { reportUnresolvedSettings } from '../shared/app/reportUnresolvedSettings';
import { requeueStalledLeads, type SweepDeps } from '../shared/app/requeueStalledLeads';
import { getDeps } from '../shared/composition';
import { functionNames } from '../shared/names';
import type { TargetState } from '../shared/targetStates';

const LOOK_BACK_DAYS = 7;

export type SweeperDeps = Omit<SweepDeps, 'logger'> &
    Pick<ListLeadsDeps, 'delivery'> &
    Pick<LeadSilenceDeps, 'checkpoints'> & { targetStates?: Readonly<Record<string, TargetState>> };

/**
 * Every 5 minutes: leads stored but still `received` after 10 minutes are enqueued again, leads left `delivering`
 * by a run that is gone are counted and reported (warning and `leads.stalled`) for an operator, the hours since the
 * last lead are recorded for the lost-leads alarm (`leads.hours_since_last_lead`), and every target that is off
 * because its Key Vault reference did not resolve is reported too.
 */
export function createStalledLeadSweeper(deps: () => SweeperDeps) {
    return async (_timer: Timer, context: InvocationContext): Promise<void> => {
        const d = { ...deps(), logger: contextLogger(context) };
        await requeueStalledLeads(d, { stalledAfterMinutes: 10, lookBackDays: LOOK_BACK_DAYS });
        await reportStalledDeliveries(d, LOOK_BACK_DAYS);
        await reportLeadSilence(d);
        if (d.targetStates !== undefined) reportUnresolvedSettings(d.targetStates, d.logger);
    };
}

export const stalledLeadSweeper = createStalledLeadSweeper(() => {
    const d = getDeps();
    return {
        leads: d.leads,
        publisher: d.publisher,
        checkpoints: d.checkpoints,
        now: d.now,
        delivery: d.config.pipeline.delivery,
        targetStates: d.config.targetStates,
    };
});

app.timer(functionNames.stalledLeadSweeper, { schedule: '0 */5 * * * *', handler: stalledLeadSweeper });
