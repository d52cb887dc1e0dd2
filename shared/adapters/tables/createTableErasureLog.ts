import { randomBytes } from 'node:crypto';

import { odata, type TableClient } from '@azure/data-tables';

import type { CrmRecordRef, ErasureQuery, ErasureReport } from '../../domain/index';
import { tableNames } from '../../names';
import type { ErasureEntry, ErasureLog, RetentionEntry } from '../../ports/ErasureLog';
import { readJson, writeJson } from './jsonColumns';
import { statusOf, type TableClientFactory } from './tableClients';

type Row = Record<string, unknown>;

const KEY = { partitionKey: 'key', rowKey: 'email-hash-v1' };
const ERASURE = 'erasure';
const EXPORT = 'export';
const RETENTION = 'retention';

/** Query columns, written while an erasure runs and replaced by nothing when it finishes. */
const queryColumns = (query: ErasureQuery | undefined) => (query === undefined ? {} : writeJson('query', query));

/**
 * The `Privacy` table: the hash key (one row), one row per erasure (`erasure`, erasure id) holding its report and
 * the CRM records still to delete, one per export (`export`, export id), one per retention run that removed something
 * (`retention`, run id). The pipeline never removes these rows: they hold no personal data, and the Turkish by-law on
 * erasure asks that every erasure be recorded and the records kept at least three years (docs/data-map.md). Erasure ids sort by time, so the newest
 * come first once the (small) partition is read.
 */
export function createTableErasureLog(tables: TableClientFactory): ErasureLog {
    const table = () => tables(tableNames.privacy);
    let key: Promise<Uint8Array> | undefined;

    async function readKey(client: TableClient): Promise<Uint8Array> {
        const made = new Uint8Array(randomBytes(32));
        try {
            await client.createEntity({ ...KEY, key: made });
            return made;
        } catch (err) {
            if (statusOf(err) !== 409) throw err;
        }
        return (await client.getEntity<{ key: Uint8Array }>(KEY.partitionKey, KEY.rowKey)).key;
    }

    async function row(erasureId: string): Promise<Row | undefined> {
        try {
            return await (await table()).getEntity<Row>(ERASURE, erasureId);
        } catch (err) {
            if (statusOf(err) === 404) return undefined;
            throw err;
        }
    }

    const queryOf = async (erasureId: string): Promise<ErasureQuery | undefined> => {
        const found = await row(erasureId);
        return found === undefined ? undefined : readJson<ErasureQuery>(found, 'query');
    };

    const write = async (entry: ErasureEntry, query: ErasureQuery | undefined) =>
        (await table()).upsertEntity(
            {
                partitionKey: ERASURE,
                rowKey: entry.report.erasureId,
                status: entry.report.status,
                requestedAt: entry.report.requestedAt,
                ...writeJson('report', entry.report),
                ...writeJson('pending', entry.pending),
                ...queryColumns(query),
            },
            // Replace: `finish` leaves the query columns out, which removes them.
            'Replace',
        );

    return {
        hashKey() {
            key ??= table().then(readKey);
            key.catch(() => (key = undefined));
            return key;
        },
        begin: (report, query) => write({ report, pending: [] }, query).then(() => undefined),
        query: queryOf,
        async save(entry) {
            await write(entry, await queryOf(entry.report.erasureId));
        },
        finish: (entry) => write(entry, undefined).then(() => undefined),
        async get(erasureId) {
            const found = await row(erasureId);
            if (found === undefined) return undefined;
            const report = readJson<ErasureReport>(found, 'report');
            if (report === undefined) return undefined;
            return { report, pending: readJson<CrmRecordRef[]>(found, 'pending') ?? [] };
        },
        async forget(erasureId) {
            try {
                await (await table()).deleteEntity(ERASURE, erasureId);
            } catch (err) {
                if (statusOf(err) !== 404) throw err;
            }
        },
        async list(limit, continuationToken) {
            const reports: ErasureReport[] = [];
            for await (const e of (await table()).listEntities<Row>({
                queryOptions: { filter: odata`PartitionKey eq ${ERASURE}` },
            })) {
                const report = readJson<ErasureReport>(e, 'report');
                if (report !== undefined) reports.push(report);
            }
            reports.sort(
                (a, b) => b.requestedAt.localeCompare(a.requestedAt) || b.erasureId.localeCompare(a.erasureId),
            );
            const start = Number(continuationToken ?? '0') || 0;
            const items = reports.slice(start, start + limit);
            return start + limit < reports.length ? { items, continuationToken: String(start + limit) } : { items };
        },
        async recordExport(entry) {
            await (await table()).upsertEntity({ partitionKey: EXPORT, rowKey: entry.exportId, ...entry }, 'Replace');
        },
        async recordRetention(entry) {
            await (
                await table()
            ).upsertEntity(
                {
                    partitionKey: RETENTION,
                    rowKey: entry.runId,
                    at: entry.at,
                    complete: entry.complete,
                    ...writeJson('retentionDays', entry.retentionDays),
                    ...writeJson('removed', entry.removed),
                },
                'Replace',
            );
        },
        async retentionRuns(limit) {
            // Run ids sort by time: the newest are the last rows of the partition (one row a day at most).
            const runs: RetentionEntry[] = [];
            for await (const e of (await table()).listEntities<Row>({
                queryOptions: { filter: odata`PartitionKey eq ${RETENTION}` },
            })) {
                runs.push({
                    runId: String(e.rowKey),
                    at: String(e.at),
                    complete: e.complete === true,
                    retentionDays: readJson<Record<string, number>>(e, 'retentionDays') ?? {},
                    removed: readJson<Record<string, number>>(e, 'removed') ?? {},
                });
                if (runs.length > limit) runs.shift();
            }
            return runs.reverse();
        },
    };
}
