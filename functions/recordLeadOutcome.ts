import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
import type { RecordOutcomeInput } from '../shared/app/pipelineTypes';
import { recordOutcome, type RecordOutcomeDeps } from '../shared/app/recordOutcome';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';
import type { LeadStatus } from '../shared/ports/LeadRepository';
import { withSpan } from '../shared/telemetry';

export function createRecordLeadOutcomeActivity(deps: () => Omit<RecordOutcomeDeps, 'logger'>) {
    return async (input: unknown, context: InvocationContext): Promise<LeadStatus> => {
        const request = input as RecordOutcomeInput;
        return withSpan('lead.record_outcome', { 'lead.id': request.leadId }, () =>
            recordOutcome({ ...deps(), logger: contextLogger(context) }, request),
        );
    };
}

export const recordLeadOutcomeActivity = createRecordLeadOutcomeActivity(getDeps);

df.app.activity(durableNames.recordLeadOutcome, { handler: recordLeadOutcomeActivity });
