import { odata, type TableClient } from '@azure/data-tables';

import type { MarketplaceRow, MarketplaceRowSource } from '../../ports/MarketplaceRowSource';
import { statusOf } from './tableClients';

/** Reads the marketplace's own `MarketplaceLeads` table; a table that does not exist yet has no rows. */
export function createMarketplaceRowSource(client: TableClient): MarketplaceRowSource {
    return {
        async *pages(since, pageSize) {
            const filter = since === undefined ? undefined : odata`Timestamp ge ${since}`;
            try {
                for await (const page of client
                    .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
                    .byPage({ maxPageSize: pageSize })) {
                    yield page.map((e): MarketplaceRow => ({
                        partitionKey: e.partitionKey ?? '',
                        rowKey: e.rowKey ?? '',
                        timestamp: typeof e.timestamp === 'string' ? e.timestamp : '',
                        entity: withoutEtag(e),
                    }));
                }
            } catch (err) {
                if (statusOf(err) === 404) return;
                throw err;
            }
        },
    };
}

function withoutEtag(e: Record<string, unknown>): Record<string, unknown> {
    const { etag: _etag, ...rest } = e;
    return rest;
}
