import type { LeadEraser } from '../../ports/LeadEraser';
import type { RunPurger } from '../../ports/RunPurger';
import type { LeadStepInput, StopRunsResult } from './erasureTypes';

export interface StopLeadRunsDeps {
    leads: LeadEraser;
    runs: RunPurger;
}

/** Terminates whatever still runs for the lead (its pipeline, a redelivery, a delivery waiting on a retry timer). */
export async function stopLeadRuns(deps: StopLeadRunsDeps, input: LeadStepInput): Promise<StopRunsResult> {
    const traces = await deps.leads.traces(input.leadId);
    if (traces === undefined) return { running: [] };
    return { running: await deps.runs.stop(traces.runIds, `personal data erasure ${input.erasureId}`) };
}
