import { PermanentError } from '../../domain/index';
import type { ErasureLog } from '../../ports/ErasureLog';
import type { MarketplaceRowEraser } from '../../ports/MarketplaceRowEraser';
import type { MarketplaceRowsInput, MarketplaceRowsResult } from './erasureTypes';

export interface EraseMarketplaceRowsDeps {
    log: ErasureLog;
    /** Undefined without a table destination (`MarketplaceLeadsStorage` unset). */
    rows: MarketplaceRowEraser | undefined;
}

/** One page of the marketplace's table: the person's rows there are deleted, when the identity may. */
export async function eraseMarketplaceRows(
    deps: EraseMarketplaceRowsDeps,
    input: MarketplaceRowsInput,
): Promise<MarketplaceRowsResult> {
    if (deps.rows === undefined) return { rows: 0, problem: { status: 'not-configured' } };
    const query = await deps.log.query(input.erasureId);
    if (query?.emailKey === undefined) return { rows: 0 };
    const page = await deps.rows.rowsWith(query.emailKey, input.continuationToken);
    let rows: number;
    try {
        rows = await deps.rows.deleteRows(
            page.rows.map((r) => ({ partitionKey: String(r.partitionKey), rowKey: String(r.rowKey) })),
        );
    } catch (err) {
        if (err instanceof PermanentError && err.details.code === 'no-write-access') {
            return {
                rows: 0,
                problem: {
                    status: 'no-write-access',
                    error: 'The pipeline identity may only read MarketplaceLeads (Storage Table Data Reader)',
                },
            };
        }
        throw err;
    }
    return page.continuationToken === undefined ? { rows } : { rows, continuationToken: page.continuationToken };
}
