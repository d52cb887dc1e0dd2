import type { TableClient } from '@azure/data-tables';

import { emailKeyOfLead, parseMarketplaceTableRow, PermanentError } from '../../domain/index';
import type { MarketplaceRowEraser } from '../../ports/MarketplaceRowEraser';
import { firstPage } from './firstPage';
import { statusOf } from './tableClients';

/** Rows one page reads; `CustomerInfo` is a JSON string, so the rows are compared here, not by the service. */
const PAGE_ROWS = 500;

/**
 * The marketplace's `MarketplaceLeads` table, read as the poller reads it (the same parser finds the address) and
 * written only to delete a person's rows. With only the role the poller needs (Storage Table Data Reader) a delete
 * is refused with 403: reported as `no-write-access`, never retried.
 */
export function createMarketplaceRowEraser(client: TableClient): MarketplaceRowEraser {
    return {
        async rowsWith(emailKey, continuationToken) {
            let page;
            try {
                page = await firstPage(
                    client
                        .listEntities<Record<string, unknown>>()
                        .byPage({ maxPageSize: PAGE_ROWS, continuationToken }),
                );
            } catch (err) {
                if (statusOf(err) === 404) return { rows: [] };
                throw err;
            }
            const now = new Date().toISOString();
            const rows = (page ?? []).filter((row) => {
                const { etag: _etag, ...entity } = row;
                return emailKeyOfLead(parseMarketplaceTableRow(entity, { receivedAt: now })) === emailKey;
            });
            return page?.continuationToken === undefined
                ? { rows }
                : { rows, continuationToken: page.continuationToken };
        },
        async deleteRows(keys) {
            let deleted = 0;
            for (const { partitionKey, rowKey } of keys) {
                try {
                    await client.deleteEntity(partitionKey, rowKey);
                    deleted++;
                } catch (err) {
                    const status = statusOf(err);
                    if (status === 404) continue;
                    if (status === 403) {
                        throw new PermanentError('The identity may not delete from MarketplaceLeads', {
                            status,
                            code: 'no-write-access',
                        });
                    }
                    throw err;
                }
            }
            return deleted;
        },
    };
}
