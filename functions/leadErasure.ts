import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import * as df from 'durable-functions';

import { callStep } from '../shared/app/privacy/erasureSteps';
import type { LeadErasureResult, LeadStepInput, StopRunsResult } from '../shared/app/privacy/erasureTypes';
import { durableNames } from '../shared/names';

/** Checks of the lead's runs before its data goes anyway (the sweep after the grace period covers a late one). */
const MAX_STOP_CHECKS = 8;

/**
 * One lead of an erasure: its runs terminated (and waited for, on durable timers: 5 s, 10 s, … up to a minute),
 * so no run writes the lead again while it is erased; then its data replaced by the tombstone.
 */
export const leadErasureOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
    const input = context.df.getInput<LeadStepInput>();
    for (let check = 0; check < MAX_STOP_CHECKS; check++) {
        const { running } = (yield callStep(context, durableNames.stopLeadRuns, input)) as StopRunsResult;
        if (running.length === 0) break;
        context.df.setCustomStatus({ stage: 'stopping', running: running.length });
        const waitMs = Math.min(5_000 * 2 ** check, 60_000);
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + waitMs));
    }
    return (yield callStep(context, durableNames.eraseLeadData, input)) as LeadErasureResult;
};

df.app.orchestration(durableNames.leadErasure, leadErasureOrchestrator);
