import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
import type { RecordOutcomeActivityInput } from '../shared/app/pipelineTypes';
import { recordOutcome, type RecordOutcomeDeps } from '../shared/app/recordOutcome';
import { getDeps } from '../shared/composition';
import type { LeadStatus } from '../shared/domain/index';
import { durableNames } from '../shared/names';
import { contextFromCarrier, withSpan } from '../shared/telemetry/withSpan';

export function createRecordLeadOutcomeActivity(deps: () => Omit<RecordOutcomeDeps, 'logger'>) {
    return async (input: unknown, context: InvocationContext): Promise<LeadStatus> => {
        // The carrier is telemetry plumbing, not part of the use case's input.
        const { trace, ...request } = input as RecordOutcomeActivityInput;
        return withSpan(
            'lead.record_outcome',
            { 'lead.id': request.leadId },
            () => recordOutcome({ ...deps(), logger: contextLogger(context) }, request),
            { parent: contextFromCarrier(trace) },
        );
    };
}

export const recordLeadOutcomeActivity = createRecordLeadOutcomeActivity(getDeps);

df.app.activity(durableNames.recordLeadOutcome, { handler: recordLeadOutcomeActivity });
