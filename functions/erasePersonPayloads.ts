import * as df from 'durable-functions';

import { erasePersonPayloads, type ErasePersonPayloadsDeps } from '../shared/app/privacy/erasePersonPayloads';
import type { PayloadsInput, PayloadsResult } from '../shared/app/privacy/erasureTypes';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';

export function createErasePersonPayloadsActivity(deps: () => ErasePersonPayloadsDeps) {
    return (input: unknown): Promise<PayloadsResult> => erasePersonPayloads(deps(), input as PayloadsInput);
}

export const erasePersonPayloadsActivity = createErasePersonPayloadsActivity(() => {
    const { privacy } = getDeps();
    return { log: privacy.log, payloads: privacy.payloads };
});

df.app.activity(durableNames.erasePersonPayloads, { handler: erasePersonPayloadsActivity });
