import { tableNames } from '../../names';
import type { ParkedLead, ParkedLeadStore } from '../../ports/ParkedLeadStore';
import { writeJson } from './jsonColumns';
import { compact } from './leadEntities';
import { parkedLeadOf } from './parkedLeadOf';
import { statusOf, type TableClientFactory } from './tableClients';

/** Parked leads: one partition (`parked`) keyed by parked id; a handful of rows, listed newest first in memory. */
const PARTITION = 'parked';

export function createTableParkedLeadStore(tables: TableClientFactory): ParkedLeadStore {
    const table = () => tables(tableNames.parked);
    const toEntity = (p: ParkedLead) =>
        compact({
            partitionKey: PARTITION,
            rowKey: p.id,
            messageId: p.messageId,
            reason: p.reason,
            description: p.description,
            deliveryCount: p.deliveryCount,
            parkedAt: p.parkedAt,
            replayedAt: p.replayedAt,
            replayCount: p.replayCount,
            replayOf: p.replayOf,
            ...writeJson('body', p.body),
            properties: JSON.stringify(p.properties),
        });
    const get = async (id: string) => {
        try {
            return parkedLeadOf(await (await table()).getEntity<Record<string, unknown>>(PARTITION, id));
        } catch (err) {
            if (statusOf(err) === 404) return undefined;
            throw err;
        }
    };
    return {
        async park(lead) {
            try {
                await (await table()).createEntity(toEntity(lead));
            } catch (err) {
                // Already parked (the dead-letter message was delivered twice): keep the first record.
                if (statusOf(err) !== 409) throw err;
            }
        },
        get,
        async list(limit, continuationToken) {
            const items: ParkedLead[] = [];
            for await (const e of (await table()).listEntities<Record<string, unknown>>()) items.push(parkedLeadOf(e));
            items.sort((a, b) => b.parkedAt.localeCompare(a.parkedAt) || a.id.localeCompare(b.id));
            const start = Number(continuationToken ?? '0') || 0;
            const page = items.slice(start, start + limit);
            return { items: page, continuationToken: start + limit < items.length ? String(start + limit) : undefined };
        },
        async markReplayed(id, at) {
            const current = await get(id);
            if (current === undefined) throw new Error(`Parked lead ${id} not found`);
            const updated = { ...current, replayedAt: at.toISOString(), replayCount: current.replayCount + 1 };
            await (await table()).upsertEntity(toEntity(updated), 'Replace');
            return updated;
        },
    };
}
