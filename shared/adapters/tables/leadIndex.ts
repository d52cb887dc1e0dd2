import { odata, type TableClient, type TableEntity, type TableEntityResultPage } from '@azure/data-tables';

type TablePage = TableEntityResultPage<Record<string, unknown>>;

import {
    type DeliveryRecord,
    emailKeyOf,
    foldForSearch,
    isLeadStatus,
    type Lead,
    type LeadDecision,
    type LeadStatus,
    ValidationError,
} from '../../domain/index';
import type { LeadListQuery, LeadSummary, ListedDelivery } from '../../ports/LeadRepository';
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

/** Longest text kept in a list column: the list shows a line per lead, the lead itself keeps the whole value. */
const COLUMN_CHARS = 200;
const column = (value: string | undefined): string | undefined =>
    value === undefined || value.trim() === '' ? undefined : value.slice(0, COLUMN_CHARS);

/**
 * The list's columns known at intake, written with the index row itself (no extra storage operation): who, which
 * company, offer and action. `emailKey` is the one-way key an email search asks for, `companyFold` the form a company
 * search compares with; neither search puts its text into a storage query.
 */
export function leadIndexColumns(lead: Lead): TableEntity {
    const c = lead.contact;
    const name = column([c.firstName, c.lastName].filter((p) => p !== undefined && p.trim() !== '').join(' '));
    const company = column(c.company);
    const email = c.emailNormalised ?? c.email;
    const entity: Record<string, unknown> = {
        name,
        company,
        companyFold: company === undefined ? undefined : foldForSearch(company),
        emailKey: email === undefined || email.trim() === '' ? undefined : emailKeyOf(email),
        offer: column(lead.offer.title ?? lead.offer.offerId),
        actionCode: column(lead.action.code),
        action: lead.action.meaning,
        source: lead.source.kind,
    };
    for (const key of Object.keys(entity)) if (entity[key] === undefined) delete entity[key];
    return entity as TableEntity;
}

/** The decision's columns, merged with the status the decision sets. */
export function decisionIndexColumns(decision: LeadDecision): Record<string, string | number> {
    return { grade: decision.score.grade, outcome: decision.qualification.outcome, points: decision.score.points };
}

/** When the lead reached its final status and how each target ended, merged with that status. */
export function completionIndexColumns(deliveries: readonly DeliveryRecord[], at: string): Record<string, string> {
    const byTarget = new Map(deliveries.map((d) => [d.target, d]));
    const listed = [...byTarget.values()].map((d) => [d.target, d.status, d.attempts]);
    return { completedAt: at, deliveries: JSON.stringify(listed) };
}

function listedDeliveries(value: unknown): ListedDelivery[] | undefined {
    if (typeof value !== 'string') return undefined;
    try {
        const rows = JSON.parse(value) as unknown;
        if (!Array.isArray(rows)) return undefined;
        return rows.flatMap((r): ListedDelivery[] =>
            Array.isArray(r) && typeof r[0] === 'string' && typeof r[1] === 'string'
                ? [{ target: r[0], status: r[1], attempts: typeof r[2] === 'number' ? r[2] : 0 }]
                : [],
        );
    } catch {
        return undefined;
    }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function toSummary(e: Record<string, unknown>): LeadSummary {
    return {
        leadId: String(e.leadId),
        status: isLeadStatus(e.status) ? e.status : 'received',
        statusAt: text(e.statusAt),
        receivedAt: String(e.receivedAt),
        channel: typeof e.channel === 'string' ? e.channel : '',
        grade: text(e.grade),
        name: text(e.name),
        company: text(e.company),
        offer: text(e.offer),
        actionCode: text(e.actionCode),
        action: text(e.action),
        source: text(e.source),
        outcome: text(e.outcome),
        points: typeof e.points === 'number' ? e.points : undefined,
        completedAt: text(e.completedAt),
        deliveries: listedDeliveries(e.deliveries),
    };
}

/** The columns a listing reads: everything but the search keys. */
const listedColumns = [
    'rowKey',
    'leadId',
    'status',
    'statusAt',
    'receivedAt',
    'channel',
    'grade',
    'name',
    'company',
    'offer',
    'actionCode',
    'action',
    'source',
    'outcome',
    'points',
    'completedAt',
    'deliveries',
];

/** Rows a page may read when the app filters them itself (a company search): the service's own page limit. */
const SCAN_PAGE_ROWS = 1000;

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
    /** Or: go on after this row of the partition (a search that stopped inside a page it had read). */
    r?: string;
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
    const latest = query.until !== undefined && query.until < now ? query.until : now;
    const oldest = monthIndex(monthPartition(since));
    const newest = monthIndex(monthPartition(now));
    let cursor: Cursor | undefined = decode(query.continuationToken, oldest, newest) ?? { m: monthPartition(latest) };
    const companyText = query.search !== undefined && 'companyText' in query.search ? query.search.companyText : '';
    const filters = serviceFilters(query, since);
    const select = companyText === '' ? listedColumns : [...listedColumns, 'companyFold'];
    const items: LeadSummary[] = [];
    const startedAt = clock();
    for (let queries = 0; cursor !== undefined && items.length < query.limit; queries++) {
        if (queries >= MAX_QUERIES_PER_CALL || clock() - startedAt > MAX_MS_PER_CALL) break;
        const partition: string[] = [odata`PartitionKey eq ${cursor.m}`, ...filters];
        if (cursor.r !== undefined) partition.push(odata`RowKey gt ${cursor.r}`);
        const page: IteratorResult<TablePage> = await client
            .listEntities<Record<string, unknown>>({ queryOptions: { filter: partition.join(' and '), select } })
            .byPage({
                maxPageSize: companyText === '' ? query.limit - items.length : SCAN_PAGE_ROWS,
                continuationToken: cursor.r === undefined ? cursor.t : undefined,
            })
            .next();
        const rows: Record<string, unknown>[] = page.done === true ? [] : page.value;
        let stoppedAt: string | undefined;
        for (const e of rows) {
            if (companyText !== '' && !(typeof e.companyFold === 'string' && e.companyFold.includes(companyText)))
                continue;
            items.push(toSummary(e));
            if (items.length >= query.limit && e !== rows[rows.length - 1]) {
                stoppedAt = String(e.rowKey);
                break;
            }
        }
        const next: string | undefined = page.done === true ? undefined : page.value.continuationToken;
        const previous = previousMonth(cursor.m);
        cursor =
            stoppedAt !== undefined
                ? { m: cursor.m, r: stoppedAt }
                : next !== undefined
                  ? { m: cursor.m, t: next }
                  : monthIndex(previous) >= oldest
                    ? { m: previous }
                    : undefined;
    }
    return { items, continuationToken: cursor === undefined ? undefined : encode(cursor) };
}

/**
 * The filters the table service applies. Values are ids and codes (status, grade, outcome, source, action, offer,
 * channel) or the one-way email key, so no storage request names a person.
 */
function serviceFilters(query: LeadListQuery, since: Date): string[] {
    const filters: string[] = [odata`receivedAt ge ${since.toISOString()}`];
    if (query.until !== undefined) filters.push(odata`receivedAt lt ${query.until.toISOString()}`);
    if (query.status !== undefined) filters.push(odata`status eq ${query.status}`);
    if (query.statusBefore !== undefined) filters.push(odata`statusAt lt ${query.statusBefore.toISOString()}`);
    if (query.statusSince !== undefined) filters.push(odata`statusAt ge ${query.statusSince.toISOString()}`);
    if (query.grade !== undefined) filters.push(odata`grade eq ${query.grade}`);
    if (query.outcome !== undefined) filters.push(odata`outcome eq ${query.outcome}`);
    if (query.source !== undefined) filters.push(odata`source eq ${query.source}`);
    if (query.action !== undefined) filters.push(odata`action eq ${query.action}`);
    if (query.offer !== undefined) filters.push(odata`offer eq ${query.offer}`);
    if (query.channel !== undefined) filters.push(odata`channel eq ${query.channel}`);
    if (query.search !== undefined && 'emailKey' in query.search)
        filters.push(odata`emailKey eq ${query.search.emailKey}`);
    return filters;
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
    const { m, t, r } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    if (typeof m !== 'string' || !/^\d{4}(0[1-9]|1[0-2])$/u.test(m)) throw invalidToken();
    if (monthIndex(m) < oldest || monthIndex(m) > newest) throw invalidToken();
    if (r !== undefined) {
        if (t !== undefined || typeof r !== 'string' || !/^\d{1,20}_[A-Za-z0-9-]{1,100}$/u.test(r))
            throw invalidToken();
        return { m, r };
    }
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
