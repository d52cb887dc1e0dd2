import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { contextLogger } from '../shared/app/contextLogger';
import { eraseTargetRecords, type EraseTargetRecordsDeps } from '../shared/app/privacy/eraseTargetRecords';
import type { EraseRecordsInput, EraseRecordsResult } from '../shared/app/privacy/erasureTypes';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';

export function createEraseTargetRecordsActivity(deps: () => Omit<EraseTargetRecordsDeps, 'logger'>) {
    return (input: unknown, context: InvocationContext): Promise<EraseRecordsResult> =>
        eraseTargetRecords({ ...deps(), logger: contextLogger(context) }, input as EraseRecordsInput);
}

export const eraseTargetRecordsActivity = createEraseTargetRecordsActivity(() => {
    const { privacy } = getDeps();
    return { eraser: (name, logger) => privacy.eraser(name, logger) };
});

df.app.activity(durableNames.eraseTargetRecords, { handler: eraseTargetRecordsActivity });
