/**
 * The person's rows of the marketplace's own `MarketplaceLeads` table (Partner Center writes it; the pipeline reads
 * it, and deletes from it only when asked to and when its identity may write there).
 */
export interface MarketplaceRowEraser {
    /** One page of the table: the rows whose `CustomerInfo` carries an address with `emailKey`. */
    rowsWith(
        emailKey: string,
        continuationToken?: string,
    ): Promise<{ rows: Record<string, unknown>[]; continuationToken?: string }>;
    /** Deletes rows by key; a row already gone counts as deleted. Throws `PermanentError` code `no-write-access` on 403. */
    deleteRows(keys: readonly { partitionKey: string; rowKey: string }[]): Promise<number>;
}
