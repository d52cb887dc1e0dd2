import { app, type InvocationContext, type Timer } from '@azure/functions';

import { contextLogger } from '../shared/app/contextLogger';
import { type PollDeps, pollMarketplaceTable } from '../shared/app/pollMarketplaceTable';
import { getDeps } from '../shared/composition';
import { marketplaceTableConfigured } from '../shared/config';
import { defaults, functionNames, settingNames } from '../shared/names';
import { currentTraceCarrier, withSpan } from '../shared/telemetry/withSpan';

export type PollerDeps = Omit<PollDeps, 'logger' | 'traceCarrier' | 'rows'> & { rows: PollDeps['rows'] | undefined };

/** Reads new rows of the marketplace's `MarketplaceLeads` table (Azure Table destination) into the pipeline. */
export function createMarketplaceTablePoller(deps: () => PollerDeps) {
    return async (_timer: Timer, context: InvocationContext): Promise<void> => {
        const logger = contextLogger(context);
        const d = deps();
        if (d.rows === undefined) {
            logger.warn('MarketplaceLeadsStorage is not set; the table destination is not polled');
            return;
        }
        const rows = d.rows;
        await withSpan('marketplace.table_poll', {}, () =>
            pollMarketplaceTable(
                { ...d, rows, logger, traceCarrier: currentTraceCarrier },
                {
                    checkpointName: 'marketplace-leads-table',
                    overlapMinutes: defaults.marketplaceTablePollOverlapMinutes,
                    pageSize: 100,
                },
            ),
        );
    };
}

export const marketplaceTablePoller = createMarketplaceTablePoller(() => {
    const deps = getDeps();
    return { ...deps, rows: deps.marketplaceRows };
});

// Registered only with a table destination (MarketplaceLeadsStorage): Partner Center can write only to an account
// with shared keys, never to the pipeline's own, so without one there is nothing to poll and no timer to pay for.
if (marketplaceTableConfigured()) {
    app.timer(functionNames.marketplaceTablePoller, {
        schedule: `%${settingNames.marketplaceTablePollSchedule}%`,
        handler: marketplaceTablePoller,
    });
}
