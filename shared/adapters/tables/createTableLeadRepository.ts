import { odata, type TableEntity, type TransactionAction } from '@azure/data-tables';

import type { LeadDecision } from '../../domain/Decision';
import type { Lead } from '../../domain/Lead';
import { tableNames } from '../../names';
import type { DeliveryRecord, LeadRecord, LeadRepository, LeadStatus, NewLead } from '../../ports/LeadRepository';
import type { RawBodyStore } from '../../ports/RawBodyStore';
import { readJson, writeJson } from './jsonColumns';
import { compact, deliveryEntity, historyEntity, leadRow, rawRow, str, toDelivery, toHistory } from './leadEntities';
import { indexEntity, listLeadIndex } from './leadIndex';
import { statusOf, type TableClientFactory } from './tableClients';

/** Raw bodies up to this size stay in the lead's partition (a binary property holds 64 KiB); larger ones go to blob. */
const INLINE_RAW_BYTES = 60_000;

export function createTableLeadRepository(tables: TableClientFactory, rawBodies: RawBodyStore): LeadRepository {
    const leads = () => tables(tableNames.leads);
    const index = () => tables(tableNames.leadsByTime);
    const journeys = () => tables(tableNames.journeys);

    async function statusOfLead(leadId: string): Promise<{ status: LeadStatus; receivedAt: string } | undefined> {
        try {
            const e = await (
                await leads()
            ).getEntity(leadId, leadRow, { queryOptions: { select: ['status', 'receivedAt'] } });
            return { status: String(e.status) as LeadStatus, receivedAt: String(e.receivedAt) };
        } catch (err) {
            if (statusOf(err) === 404) return undefined;
            throw err;
        }
    }

    async function writeIndexes(leadId: string, lead: Lead, status: LeadStatus): Promise<void> {
        const writes = [
            index().then((c) => c.upsertEntity(indexEntity(leadId, lead.receivedAt, lead.channel, status), 'Merge')),
        ];
        if (lead.personKey !== undefined) {
            const journey = compact({
                partitionKey: lead.personKey,
                rowKey: `${lead.receivedAt}_${leadId}`,
                leadId,
                actionCode: lead.action.code,
                actionMeaning: lead.action.meaning,
                channel: lead.channel,
                receivedAt: lead.receivedAt,
            });
            writes.push(journeys().then((c) => c.upsertEntity(journey, 'Replace')));
        }
        await Promise.all(writes);
    }

    return {
        async create({ leadId, lead, raw, now }: NewLead) {
            const at = now.toISOString();
            let rawRef = 'table';
            const actions: TransactionAction[] = [];
            if (raw.byteLength > INLINE_RAW_BYTES) {
                rawRef = `blob:${leadId}.json`;
                await rawBodies.put(`${leadId}.json`, raw);
            } else {
                actions.push([
                    'upsert',
                    { partitionKey: leadId, rowKey: rawRow, body: raw, bytes: raw.byteLength },
                    'Replace',
                ]);
            }
            const entity: TableEntity = compact({
                partitionKey: leadId,
                rowKey: leadRow,
                leadKey: lead.leadKey,
                personKey: lead.personKey,
                status: 'received',
                channel: lead.channel,
                receivedAt: lead.receivedAt,
                rawRef,
                updatedAt: at,
                ...writeJson('lead', lead),
            });
            actions.unshift(['create', entity]);
            actions.push([
                'upsert',
                historyEntity(leadId, { at, kind: 'received', detail: { channel: lead.channel } }),
            ]);
            try {
                await (await leads()).submitTransaction(actions);
            } catch (err) {
                if (statusOf(err) !== 409) throw err;
                const existing = await statusOfLead(leadId);
                if (existing === undefined) throw err;
                // An earlier attempt may have stored the lead and failed before its index rows: repair them.
                if (existing.status === 'received')
                    await writeIndexes(leadId, { ...lead, receivedAt: existing.receivedAt }, 'received');
                return { created: false, status: existing.status };
            }
            await writeIndexes(leadId, lead, 'received');
            return { created: true, status: 'received' as const };
        },

        async findExisting(leadIds) {
            const found = await Promise.all(
                leadIds.map(async (leadId) => ({ leadId, existing: await statusOfLead(leadId) })),
            );
            const hit = found.find((f) => f.existing !== undefined);
            return hit?.existing === undefined ? undefined : { leadId: hit.leadId, status: hit.existing.status };
        },

        async get(leadId) {
            const client = await leads();
            let main: Record<string, unknown> | undefined;
            const deliveries: DeliveryRecord[] = [];
            const history = [];
            for await (const e of client.listEntities<Record<string, unknown>>({
                queryOptions: { filter: `PartitionKey eq '${leadId.replace(/'/gu, "''")}'` },
            })) {
                if (e.rowKey === leadRow) main = e;
                else if (e.rowKey?.startsWith('d_')) deliveries.push(toDelivery(e));
                else if (e.rowKey?.startsWith('h_')) history.push(toHistory(e));
            }
            if (main === undefined) return undefined;
            const lead = readJson<Lead>(main, 'lead');
            if (lead === undefined) throw new Error(`Lead ${leadId} has an unreadable record`);
            const record: LeadRecord = {
                leadId,
                status: String(main.status) as LeadStatus,
                lead,
                decision: readJson<LeadDecision>(main, 'decision'),
                deliveries,
                history: history.sort((a, b) => a.at.localeCompare(b.at)),
                receivedAt: String(main.receivedAt),
                updatedAt: String(main.updatedAt),
                completedAt: str(main.completedAt),
                rawRef: String(main.rawRef),
            };
            return record;
        },

        async saveDecision(ref, decision, status, deliveries, now) {
            const at = now.toISOString();
            const actions: TransactionAction[] = [
                [
                    'upsert',
                    compact({
                        partitionKey: ref.leadId,
                        rowKey: leadRow,
                        status,
                        updatedAt: at,
                        configVersion: decision.configVersion,
                        outcome: decision.qualification.outcome,
                        grade: decision.score.grade,
                        points: decision.score.points,
                        decidedAt: decision.decidedAt,
                        completedAt: status === 'delivering' ? undefined : at,
                        ...writeJson('decision', decision),
                    }),
                    'Merge',
                ],
                ...deliveries.map((d): TransactionAction => ['upsert', deliveryEntity(ref.leadId, d), 'Replace']),
                [
                    'upsert',
                    historyEntity(ref.leadId, {
                        at,
                        kind: 'decided',
                        detail: {
                            outcome: decision.qualification.outcome,
                            grade: decision.score.grade,
                            points: decision.score.points,
                            configVersion: decision.configVersion,
                        },
                    }),
                ],
            ];
            await (await leads()).submitTransaction(actions);
            await (
                await index()
            ).upsertEntity(
                { ...indexEntity(ref.leadId, ref.receivedAt), status, grade: decision.score.grade },
                'Merge',
            );
        },

        async saveDelivery(leadId, delivery, history) {
            await (
                await leads()
            ).submitTransaction([
                ['upsert', deliveryEntity(leadId, delivery), 'Replace'],
                ['upsert', historyEntity(leadId, history)],
            ]);
        },

        async complete(ref, status, deliveries, now) {
            const at = now.toISOString();
            await (
                await leads()
            ).submitTransaction([
                [
                    'upsert',
                    { partitionKey: ref.leadId, rowKey: leadRow, status, updatedAt: at, completedAt: at },
                    'Merge',
                ],
                ...deliveries.map((d): TransactionAction => ['upsert', deliveryEntity(ref.leadId, d), 'Replace']),
                ['upsert', historyEntity(ref.leadId, { at, kind: 'completed', detail: { status } })],
            ]);
            await (await index()).upsertEntity({ ...indexEntity(ref.leadId, ref.receivedAt), status }, 'Merge');
        },

        async setStatus(ref, status, history) {
            await (
                await leads()
            ).submitTransaction([
                ['upsert', { partitionKey: ref.leadId, rowKey: leadRow, status, updatedAt: history.at }, 'Merge'],
                ['upsert', historyEntity(ref.leadId, history)],
            ]);
            await (await index()).upsertEntity({ ...indexEntity(ref.leadId, ref.receivedAt), status }, 'Merge');
        },

        list: async (query) => listLeadIndex(await index(), query, new Date()),

        async journey(personKey) {
            const steps = [];
            for await (const e of (await journeys()).listEntities<Record<string, unknown>>({
                queryOptions: { filter: odata`PartitionKey eq ${personKey}` },
            })) {
                steps.push({
                    leadId: String(e.leadId),
                    receivedAt: String(e.receivedAt),
                    channel: String(e.channel),
                    actionCode: str(e.actionCode),
                    actionMeaning: String(e.actionMeaning),
                });
            }
            return steps;
        },
    };
}
