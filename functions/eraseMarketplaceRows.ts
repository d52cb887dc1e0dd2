import * as df from 'durable-functions';

import { eraseMarketplaceRows, type EraseMarketplaceRowsDeps } from '../shared/app/privacy/eraseMarketplaceRows';
import type { MarketplaceRowsInput, MarketplaceRowsResult } from '../shared/app/privacy/erasureTypes';
import { getDeps } from '../shared/composition';
import { durableNames } from '../shared/names';

export function createEraseMarketplaceRowsActivity(deps: () => EraseMarketplaceRowsDeps) {
    return (input: unknown): Promise<MarketplaceRowsResult> =>
        eraseMarketplaceRows(deps(), input as MarketplaceRowsInput);
}

export const eraseMarketplaceRowsActivity = createEraseMarketplaceRowsActivity(() => {
    const { privacy } = getDeps();
    return { log: privacy.log, rows: privacy.marketplaceRows };
});

df.app.activity(durableNames.eraseMarketplaceRows, { handler: eraseMarketplaceRowsActivity });
