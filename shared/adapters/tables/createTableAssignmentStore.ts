import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';

import type { AssignmentState, OwnerAssignment, StickyOwner } from '../../domain/index';
import { emptyAssignmentState } from '../../domain/index';
import type { AssignmentCommit, AssignmentStore, UnattendedLead } from '../../ports/AssignmentStore';
import { readJson, writeJson } from './jsonColumns';
import { statusOf } from './tableClients';

/**
 * Table `<prefix>Assignments`, one partition `assignment`: the row `state` (cursors, each person's count for their
 * day, out of office) written only with its ETag, a claim row `lead_<leadId>_<round>` per assignment created in the
 * same entity-group transaction (so the counters and the claim change together or not at all, and a second commit
 * for the same lead fails), `sticky_<personKey>` rows, and `unattended_<leadId>` rows. Every read is a point read or
 * a prefix range: the partition's size never slows an assignment.
 */
const PARTITION = 'assignment';
const STATE = 'state';
const claimKey = (leadId: string, round: number) => `lead_${leadId}_${round}`;
const stickyKey = (personKey: string) => `sticky_${personKey}`;
const unattendedKey = (leadId: string) => `unattended_${leadId}`;

export function createTableAssignmentStore(table: () => Promise<TableClient>): AssignmentStore {
    const point = async (rowKey: string) => {
        try {
            return await (await table()).getEntity<Record<string, unknown>>(PARTITION, rowKey);
        } catch (err) {
            if (statusOf(err) === 404) return undefined;
            throw err;
        }
    };
    const readState = async (): Promise<{ state: AssignmentState; etag?: string }> => {
        const e = await point(STATE);
        if (e === undefined) return { state: emptyAssignmentState() };
        return {
            state: { ...emptyAssignmentState(), ...readJson<AssignmentState>(e, 'state') },
            etag: e.etag,
        };
    };
    const writeState = async (state: AssignmentState, etag: string | undefined): Promise<boolean> => {
        const client = await table();
        const entity = { partitionKey: PARTITION, rowKey: STATE, ...writeJson('state', state) };
        try {
            if (etag === undefined) await client.createEntity(entity);
            else await client.updateEntity(entity, 'Replace', { etag });
            return true;
        } catch (err) {
            const code = statusOf(err);
            if (code === 409 || code === 412) return false;
            throw err;
        }
    };
    return {
        async read(personKey) {
            const [state, sticky] = await Promise.all([
                readState(),
                personKey === undefined ? undefined : point(stickyKey(personKey)),
            ]);
            const remembered: StickyOwner | undefined =
                sticky === undefined ? undefined : { personId: String(sticky.personId), at: String(sticky.at) };
            return { ...state, ...(remembered === undefined ? {} : { sticky: remembered }) };
        },

        async claimOf(leadId, round) {
            const e = await point(claimKey(leadId, round));
            return e === undefined ? undefined : readJson<OwnerAssignment>(e, 'assignment');
        },

        async commit(c: AssignmentCommit) {
            const stateEntity = { partitionKey: PARTITION, rowKey: STATE, ...writeJson('state', c.state) };
            const actions: TransactionAction[] = [
                c.etag === undefined ? ['create', stateEntity] : ['update', stateEntity, 'Replace', { etag: c.etag }],
                [
                    'create',
                    {
                        partitionKey: PARTITION,
                        rowKey: claimKey(c.leadId, c.round),
                        personId: c.assignment.personId ?? '',
                        ...writeJson('assignment', c.assignment),
                    },
                ],
            ];
            if (c.personKey !== undefined && c.assignment.personId !== undefined)
                actions.push([
                    'upsert',
                    {
                        partitionKey: PARTITION,
                        rowKey: stickyKey(c.personKey),
                        personId: c.assignment.personId,
                        at: c.assignment.at,
                    },
                    'Replace',
                ]);
            try {
                await (await table()).submitTransaction(actions);
                return 'committed';
            } catch (err) {
                const code = statusOf(err);
                // The batch answer does not say which action failed: a claim that exists tells them apart.
                if (code !== 409 && code !== 412) throw err;
                return (await point(claimKey(c.leadId, c.round))) === undefined ? 'conflict' : 'claimed';
            }
        },

        async setOutOfOffice(personId, away) {
            for (let tries = 1; ; tries++) {
                const { state, etag } = await readState();
                const outOfOffice = { ...state.outOfOffice };
                if (away === undefined) delete outOfOffice[personId];
                else outOfOffice[personId] = away;
                const next = { ...state, outOfOffice };
                if (await writeState(next, etag)) return next;
                if (tries >= 20) throw new Error('The assignment state kept changing; try again');
            }
        },

        async markUnattended(lead) {
            await (
                await table()
            ).upsertEntity(
                {
                    partitionKey: PARTITION,
                    rowKey: unattendedKey(lead.leadId),
                    leadId: lead.leadId,
                    queue: lead.queue,
                    personId: lead.personId ?? '',
                    since: lead.since,
                    breaches: lead.breaches,
                },
                'Replace',
            );
        },

        async clearUnattended(leadId) {
            try {
                await (await table()).deleteEntity(PARTITION, unattendedKey(leadId));
            } catch (err) {
                if (statusOf(err) !== 404) throw err;
            }
        },

        async listUnattended(limit) {
            const out: UnattendedLead[] = [];
            const client = await table();
            // `unattended_` … `unattended`` (the next character after `_`): exactly the rows with that prefix.
            const filter = odata`PartitionKey eq ${PARTITION} and RowKey ge ${'unattended_'} and RowKey lt ${'unattended`'}`;
            for await (const e of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
                out.push({
                    leadId: String(e.leadId),
                    queue: String(e.queue),
                    ...(typeof e.personId === 'string' && e.personId !== '' ? { personId: e.personId } : {}),
                    since: String(e.since),
                    breaches: Number(e.breaches),
                });
                if (out.length >= limit) break;
            }
            return out;
        },
    };
}
