import { odata, type TableClient, type TableEntity } from '@azure/data-tables';

import { isLeadStatus, type LeadStatus, ValidationError } from '../../domain/index';
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
/** No lead is older than this (the index's month partitions start here), whatever `since` says. */
const EARLIEST = Date.UTC(2000, 0, 1);
/**
 * One call reads at most this many pages and spends at most this long, whatever `since`, `limit` or the token say;
 * past either it answers what it has with a token to go on from, so one request costs bounded work.
 */
const MAX_QUERIES_PER_CALL = 24;
const MAX_MS_PER_CALL = 10_000;
/** Longer than any token this adapter issues. */
const MAX_TOKEN_CHARS = 2048;

interface Cursor {
    /** Month partition, `yyyyMM`. */
    m: string;
    /** The table service's continuation token inside that partition. */
    t?: string;
}

export async function listLeadIndex(
    client: TableClient,
    query: LeadListQuery,
    now: Date,
    clock: () => number = Date.now,
): Promise<{ items: LeadSummary[]; continuationToken?: string }> {
    const since = new Date(
        Math.max(
            EARLIEST,
            query.since?.getTime() ?? Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - DEFAULT_LOOKBACK_MONTHS, 1),
        ),
    );
    const oldest = monthIndex(monthPartition(since));
    const newest = monthIndex(monthPartition(now));
    let cursor: Cursor | undefined = decode(query.continuationToken, oldest, newest) ?? { m: monthPartition(now) };
    const items: LeadSummary[] = [];
    const startedAt = clock();
    for (let queries = 0; cursor !== undefined && items.length < query.limit; queries++) {
        if (queries >= MAX_QUERIES_PER_CALL || clock() - startedAt > MAX_MS_PER_CALL) break;
        const filters: string[] = [odata`PartitionKey eq ${cursor.m}`, odata`receivedAt ge ${since.toISOString()}`];
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
        const next: string | undefined = page.done === true ? undefined : page.value.continuationToken;
        const previous = previousMonth(cursor.m);
        cursor =
            next !== undefined
                ? { m: cursor.m, t: next }
                : monthIndex(previous) >= oldest
                  ? { m: previous }
                  : undefined;
    }
    return { items, continuationToken: cursor === undefined ? undefined : encode(cursor) };
}

/** `yyyyMM` as a count of months, so months compare as numbers (a string compare lets `2026-1` pass). */
function monthIndex(partition: string): number {
    return Number(partition.slice(0, 4)) * 12 + Number(partition.slice(4, 6)) - 1;
}

function encode(cursor: Cursor): string {
    return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

const invalidToken = () =>
    new ValidationError('continuationToken is not one this API issued', [
        { path: 'continuationToken', message: 'is not a token of this listing' },
    ]);

/**
 * A token as this adapter wrote it, or a `ValidationError`: a month in range (`yyyyMM`, month 01-12, between the
 * listing's oldest month and now) and, optionally, a table token of the service's shape. Nothing else is accepted,
 * so a token cannot steer the walk outside the months the query itself allows (the table token only resumes a query
 * that is filtered to that one month).
 */
function decode(token: string | undefined, oldest: number, newest: number): Cursor | undefined {
    if (token === undefined || token === '') return undefined;
    if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/u.test(token)) throw invalidToken();
    let parsed: unknown;
    try {
        parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
        throw invalidToken();
    }
    const { m, t } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    if (typeof m !== 'string' || !/^\d{4}(0[1-9]|1[0-2])$/u.test(m)) throw invalidToken();
    if (monthIndex(m) < oldest || monthIndex(m) > newest) throw invalidToken();
    if (t === undefined) return { m };
    if (typeof t !== 'string' || !isTableToken(t)) throw invalidToken();
    return { m, t };
}

/** The table service's token as `@azure/data-tables` encodes it: base64 JSON `{ nextPartitionKey, nextRowKey? }`. */
function isTableToken(t: string): boolean {
    try {
        const inner = JSON.parse(Buffer.from(t, 'base64').toString('utf8')) as unknown;
        if (typeof inner !== 'object' || inner === null) return false;
        const { nextPartitionKey, nextRowKey } = inner as Record<string, unknown>;
        return typeof nextPartitionKey === 'string' && (nextRowKey === undefined || typeof nextRowKey === 'string');
    } catch {
        return false;
    }
}
