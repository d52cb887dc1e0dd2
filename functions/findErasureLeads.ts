import * as df from 'durable-functions';

import type { FindLeadsInput } from '../shared/app/privacy/erasureTypes';
import { findErasureLeads, type FindErasureLeadsDeps } from '../shared/app/privacy/findErasureLeads';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';
import type { FoundLeads } from '../shared/ports/LeadEraser';

export function createFindErasureLeadsActivity(deps: () => FindErasureLeadsDeps) {
    return (input: unknown): Promise<FoundLeads> => findErasureLeads(deps(), input as FindLeadsInput);
}

export const findErasureLeadsActivity = createFindErasureLeadsActivity(() => {
    const { privacy } = getDeps();
    return { log: privacy.log, leads: privacy.leads };
});

df.app.activity(durableNames.findErasureLeads, { handler: findErasureLeadsActivity });
