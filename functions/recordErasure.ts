import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
import type { RecordErasureInput } from '../shared/app/privacy/erasureTypes';
import { recordErasure } from '../shared/app/privacy/recordErasure';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';
import type { ErasureLog } from '../shared/ports/ErasureLog';

export function createRecordErasureActivity(log: () => ErasureLog) {
    return (input: unknown, context: InvocationContext): Promise<void> =>
        recordErasure(log(), contextLogger(context), input as RecordErasureInput);
}

export const recordErasureActivity = createRecordErasureActivity(() => getDeps().privacy.log);

df.app.activity(durableNames.recordErasure, { handler: recordErasureActivity });
