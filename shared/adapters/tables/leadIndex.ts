import { odata, type TableClient, type TableEntity } from '@azure/data-tables';

import { isLeadStatus, type LeadStatus } from '../../domain/index';
import type { LeadListQuery, LeadSummary } from '../../ports/LeadRepository';
import { invertedTicks, monthPartition, previousMonth } from './invertedTicks';

/**
 * The `LeadsByTime` index: PartitionKey = month of receipt (`yyyyMM`), RowKey = inverted ticks + lead id, so a
 * partition lists newest first and a listing walks months backwards. Status, the time it was set (`statusAt`) and
 * grade are copied onto the row (merged on every status change) so the list and its status filters never touch the
 * lead partitions.
 */
export function indexEntity(
    leadId: string,
    receivedAt: string,
    channel?: string,
    status?: LeadStatus,
    statusAt?: string,
): TableEntity {
    const at = new Date(receivedAt);
    const entity: TableEntity = {
        partitionKey: monthPartition(at),
        rowKey: `${invertedTicks(at)}_${leadId}`,
        leadId,
        receivedAt,
    };
    if (channel !== undefined) entity.channel = channel;
    if (status !== undefined) entity.status = status;
    if (statusAt !== undefined) entity.statusAt = statusAt;
    return entity;
}

/** Without `since`, a listing looks back this many months. */
const DEFAULT_LOOKBACK_MONTHS = 12;

interface Cursor {
    m: string;
    t?: string;
}

export async function listLeadIndex(
    client: TableClient,
    query: LeadListQuery,
    now: Date,
): Promise<{ items: LeadSummary[]; continuationToken?: string }> {
    const since =
        query.since ?? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - DEFAULT_LOOKBACK_MONTHS, 1));
    const oldest = monthPartition(since);
    let cursor: Cursor = decode(query.continuationToken) ?? { m: monthPartition(now) };
    const items: LeadSummary[] = [];
    while (items.length < query.limit && cursor.m >= oldest) {
        const filters = [odata`PartitionKey eq ${cursor.m}`, odata`receivedAt ge ${since.toISOString()}`];
        if (query.status !== undefined) filters.push(odata`status eq ${query.status}`);
        if (query.statusBefore !== undefined) filters.push(odata`statusAt lt ${query.statusBefore.toISOString()}`);
        if (query.statusSince !== undefined) filters.push(odata`statusAt ge ${query.statusSince.toISOString()}`);
        const page = await client
            .listEntities<Record<string, unknown>>({ queryOptions: { filter: filters.join(' and ') } })
            .byPage({ maxPageSize: query.limit - items.length, continuationToken: cursor.t })
            .next();
        const rows = page.done === true ? [] : page.value;
        for (const e of rows) {
            items.push({
                leadId: String(e.leadId),
                status: isLeadStatus(e.status) ? e.status : 'received',
                statusAt: typeof e.statusAt === 'string' ? e.statusAt : undefined,
                receivedAt: String(e.receivedAt),
                channel: typeof e.channel === 'string' ? e.channel : '',
                grade: typeof e.grade === 'string' ? e.grade : undefined,
            });
        }
        const next = page.done === true ? undefined : page.value.continuationToken;
        cursor = next !== undefined ? { m: cursor.m, t: next } : { m: previousMonth(cursor.m) };
    }
    return { items, continuationToken: cursor.m >= oldest ? encode(cursor) : undefined };
}

function encode(cursor: Cursor): string {
    return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decode(token: string | undefined): Cursor | undefined {
    if (token === undefined || token === '') return undefined;
    try {
        const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
        return typeof parsed.m === 'string' && /^\d{6}$/u.test(parsed.m)
            ? { m: parsed.m, t: typeof parsed.t === 'string' ? parsed.t : undefined }
            : undefined;
    } catch {
        return undefined;
    }
}
