import { randomBytes } from 'node:crypto';

import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';

import { createDurableRunPurger } from '../shared/adapters/durable/createDurableRunPurger';
import { contextLogger } from '../shared/app/contextLogger';
import { applyRetention, type RetentionDeps } from '../shared/app/privacy/applyRetention';
import { getDeps } from '../shared/composition';
import { functionNames, settingNames } from '../shared/names';

/** A batch is one storage query and its deletes; a run gives up starting batches after five minutes. */
const OPTIONS = { batchSize: 100, timeBudgetMs: 5 * 60_000 };

/** On `PRIVACY_RETENTION_SCHEDULE` (daily by default): removes what is past its retention period. */
export function createRetentionSweeper(deps: (context: InvocationContext) => Omit<RetentionDeps, 'logger'>) {
    return async (_timer: Timer, context: InvocationContext): Promise<void> => {
        await applyRetention({ ...deps(context), logger: contextLogger(context) }, OPTIONS);
    };
}

export const retentionSweeper = createRetentionSweeper((context) => {
    const d = getDeps();
    return {
        policy: d.privacy.policy,
        leads: d.privacy.leads,
        payloads: d.privacy.payloads,
        runs: createDurableRunPurger(df.getClient(context)),
        checkpoints: d.checkpoints,
        audit: d.privacy.log,
        now: d.now,
        randomId: () => randomBytes(4).toString('hex'),
    };
});

app.timer(functionNames.retentionSweeper, {
    schedule: `%${settingNames.retentionSchedule}%`,
    extraInputs: [df.input.durableClient()],
    handler: retentionSweeper,
});
