import type { TableEntity, TransactionAction } from '@azure/data-tables';

import { emailKeyOfLead, type Lead, type LeadSla, type LeadStatus } from '../../domain/index';
import { tableNames } from '../../names';
import type { LeadRepository, NewLead } from '../../ports/LeadRepository';
import type { RawBodyStore } from '../../ports/RawBodyStore';
import { readJourney, writeJourneyStep } from './journeys';
import { writeJson } from './jsonColumns';
import {
    compact,
    conditionalDeliveryActions,
    deliveryEntity,
    historyEntity,
    leadRow,
    rawRow,
    slaRow,
} from './leadEntities';
import {
    completionIndexColumns,
    decisionIndexColumns,
    indexEntity,
    leadIndexColumns,
    listLeadIndex,
} from './leadIndex';
import { readLeadRecord } from './readLeadRecord';
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

    async function writeIndexes(leadId: string, lead: Lead, status: LeadStatus, at: string): Promise<void> {
        await Promise.all([
            index().then((c) =>
                c.upsertEntity(
                    { ...indexEntity(leadId, lead.receivedAt, lead.channel, status, at), ...leadIndexColumns(lead) },
                    'Merge',
                ),
            ),
            journeys().then((c) => writeJourneyStep(c, leadId, lead)),
        ]);
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
                    // receivedAt: the raw body's retention period counts from the lead's arrival.
                    {
                        partitionKey: leadId,
                        rowKey: rawRow,
                        body: raw,
                        bytes: raw.byteLength,
                        receivedAt: lead.receivedAt,
                    },
                    'Replace',
                ]);
            }
            const entity: TableEntity = compact({
                partitionKey: leadId,
                rowKey: leadRow,
                leadKey: lead.leadKey,
                personKey: lead.personKey,
                // Finds the person's leads for an erasure or an export without reading every lead.
                emailKey: emailKeyOfLead(lead),
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
                    await writeIndexes(leadId, { ...lead, receivedAt: existing.receivedAt }, 'received', at);
                return { created: false, status: existing.status };
            }
            await writeIndexes(leadId, lead, 'received', at);
            return { created: true, status: 'received' as const };
        },

        async findExisting(leadIds) {
            const found = await Promise.all(
                leadIds.map(async (leadId) => ({ leadId, existing: await statusOfLead(leadId) })),
            );
            const hit = found.find((f) => f.existing !== undefined);
            return hit?.existing === undefined ? undefined : { leadId: hit.leadId, status: hit.existing.status };
        },

        get: async (leadId) => readLeadRecord(await leads(), leadId),

        async saveDecision(ref, decision, status, deliveries, now, options) {
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
                // The first owner and SLA clock ride on the decision's transaction: no write of their own.
                ...(options?.sla === undefined
                    ? []
                    : [['upsert', slaEntity(ref.leadId, options.sla), 'Replace'] as TransactionAction]),
            ];
            // Sub-responses come in the order of the actions (the batch format names no keys): the rows are 1..n.
            const written = await (await leads()).submitTransaction(actions);
            if (options?.index !== false) {
                await (
                    await index()
                ).upsertEntity(
                    {
                        ...indexEntity(ref.leadId, ref.receivedAt),
                        status,
                        statusAt: at,
                        ...decisionIndexColumns(decision),
                        ...(status === 'delivering' ? {} : completionIndexColumns(deliveries, at)),
                    },
                    'Merge',
                );
            }
            return deliveries.map((d, i) => ({ ...d, etag: written.subResponses[i + 1]?.etag }));
        },

        async saveSla(ref, sla, history, now, decision) {
            const entity = { ...slaEntity(ref.leadId, sla), updatedAt: now.toISOString() };
            const actions: TransactionAction[] = [
                sla.etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: sla.etag }],
                ...history.map((h): TransactionAction => ['upsert', historyEntity(ref.leadId, h)]),
                ...(decision === undefined
                    ? []
                    : [
                          [
                              'upsert',
                              { partitionKey: ref.leadId, rowKey: leadRow, ...writeJson('decision', decision) },
                              'Merge',
                          ] as TransactionAction,
                      ]),
            ];
            try {
                const written = await (await leads()).submitTransaction(actions);
                return { ...sla, etag: written.subResponses[0]?.etag };
            } catch (err) {
                const code = statusOf(err);
                if (code === 412 || code === 409 || code === 404) return false;
                throw err;
            }
        },

        async commitDeliveries(ref, c) {
            const at = c.now.toISOString();
            const actions = conditionalDeliveryActions(ref.leadId, c.deliveries, c.unchanged ?? []);
            if (c.status !== undefined) {
                const completedAt = c.completed === true ? { completedAt: at } : {};
                actions.push([
                    'upsert',
                    { partitionKey: ref.leadId, rowKey: leadRow, status: c.status, updatedAt: at, ...completedAt },
                    'Merge',
                ]);
            }
            for (const h of [c.history, ...(c.moreHistory ?? [])])
                actions.push(['upsert', historyEntity(ref.leadId, h)]);
            let written;
            try {
                written = await (await leads()).submitTransaction(actions);
            } catch (err) {
                // 412: a row changed since it was read; 409: a row to create exists; 404: a row to update is gone.
                const code = statusOf(err);
                if (code === 412 || code === 409 || code === 404) return false;
                throw err;
            }
            if (c.status !== undefined) {
                await (
                    await index()
                ).upsertEntity(
                    {
                        ...indexEntity(ref.leadId, ref.receivedAt),
                        status: c.status,
                        statusAt: at,
                        ...(c.decision === undefined ? {} : decisionIndexColumns(c.decision)),
                        ...(c.completed === true
                            ? completionIndexColumns([...(c.unchanged ?? []), ...c.deliveries], at)
                            : {}),
                    },
                    'Merge',
                );
            }
            // The writes are the first actions, in order; the batch answer gives their new ETags in that order.
            return c.deliveries.map((d, i) => ({ ...d, etag: written.subResponses[i]?.etag }));
        },

        async setStatus(ref, status, history) {
            await (
                await leads()
            ).submitTransaction([
                ['upsert', { partitionKey: ref.leadId, rowKey: leadRow, status, updatedAt: history.at }, 'Merge'],
                ['upsert', historyEntity(ref.leadId, history)],
            ]);
            await (
                await index()
            ).upsertEntity({ ...indexEntity(ref.leadId, ref.receivedAt), status, statusAt: history.at }, 'Merge');
        },

        list: async (query) => listLeadIndex(await index(), query, new Date()),

        journey: async (personKey) => readJourney(await journeys(), personKey),
    };
}

/** The SLA row: the JSON document, and the state and due time as columns (readable in Storage Explorer). */
function slaEntity(leadId: string, sla: LeadSla): TableEntity {
    const { etag: _etag, ...row } = sla;
    return compact({
        partitionKey: leadId,
        rowKey: slaRow,
        state: sla.state,
        dueAt: sla.dueAt,
        personId: sla.personId,
        ...writeJson('sla', row),
    });
}
