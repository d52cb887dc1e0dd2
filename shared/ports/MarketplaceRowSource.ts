/** A row of the marketplace's `MarketplaceLeads` table, as the Tables SDK returns it. */
export interface MarketplaceRow {
    partitionKey: string;
    rowKey: string;
    /** Service-set write time (ISO). */
    timestamp: string;
    entity: Record<string, unknown>;
}

/** Reads the marketplace's table page by page, rows written at or after `since`. */
export interface MarketplaceRowSource {
    pages(since: Date | undefined, pageSize: number): AsyncIterable<MarketplaceRow[]>;
}
