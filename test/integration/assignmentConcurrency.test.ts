import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { createTableAssignmentStore } from '../../shared/adapters/tables/createTableAssignmentStore';
import { createTableClientFactory } from '../../shared/adapters/tables/tableClients';
import { assignLead } from '../../shared/app/assignLead';
import { assignmentConfigSchema } from '../../shared/domain/index';
import { type AzuriteInstance, startAzurite } from '../support/azurite';

let azurite: AzuriteInstance;
beforeAll(async () => {
    azurite = await startAzurite();
});
afterAll(async () => {
    await azurite.stop();
});

const now = '2026-12-01T09:00:00.000Z';

/** Two processes, 100 leads each, all at once, against one Azurite: the answer of each lead, and the store. */
async function assignAcrossTwoProcesses(prefix: string, assignment: object) {
    const worker = join(__dirname, 'support', 'assignWorker.js');
    const run = (first: number) =>
        new Promise<Record<string, string | null>>((resolve, reject) => {
            const child = spawn(process.execPath, [
                worker,
                azurite.connectionString,
                prefix,
                String(first),
                '100',
                JSON.stringify(assignment),
                now,
            ]);
            let out = '';
            let err = '';
            child.stdout.on('data', (c: Buffer) => (out += c.toString()));
            child.stderr.on('data', (c: Buffer) => (err += c.toString()));
            child.once('exit', (code) =>
                code === 0 ? resolve(JSON.parse(out) as Record<string, string | null>) : reject(new Error(err)),
            );
        });
    const [a, b] = await Promise.all([run(0), run(100)]);
    const tables = createTableClientFactory({ connectionString: azurite.connectionString }, prefix);
    return { answers: { ...a, ...b }, store: createTableAssignmentStore(() => tables('Assignments')) };
}

const tally = (answers: Record<string, string | null>) =>
    Object.values(answers).reduce<Record<string, number>>(
        (acc, p) => ({ ...acc, [p ?? '-']: (acc[p ?? '-'] ?? 0) + 1 }),
        {},
    );

describe('assignment across two processes sharing one storage account', () => {
    it('round robin: 200 leads at once give each of 4 people exactly 50, counted once each', async () => {
        const assignment = {
            enabled: true,
            people: {
                p1: { displayName: 'One' },
                p2: { displayName: 'Two' },
                p3: { displayName: 'Three' },
                p4: { displayName: 'Four' },
            },
            queues: { emea: { members: ['p1', 'p2', 'p3', 'p4'], strategy: 'round-robin' } },
            rules: [],
        };
        const { answers, store } = await assignAcrossTwoProcesses('RoundRobin', assignment);
        expect(Object.keys(answers)).toHaveLength(200);
        expect(tally(answers)).toEqual({ p1: 50, p2: 50, p3: 50, p4: 50 });
        const { state } = await store.read();
        expect(Object.fromEntries(Object.entries(state.people).map(([p, s]) => [p, s.count]))).toEqual({
            p1: 50,
            p2: 50,
            p3: 50,
            p4: 50,
        });
        // Every lead's claim says what it was told.
        for (const leadId of ['lk-0000', 'lk-0137', 'lk-0199'])
            expect((await store.claimOf(leadId, 0))?.personId).toBe(answers[leadId]);
    }, 120_000);

    it('weighted with caps: nobody goes over their cap, the rest goes to the fallback, each lead once', async () => {
        const assignment = {
            enabled: true,
            people: {
                p1: { displayName: 'One', weight: 2, dailyCap: 60 },
                p2: { displayName: 'Two', dailyCap: 30 },
                p3: { displayName: 'Three', dailyCap: 30 },
                spare: { displayName: 'Spare' },
            },
            queues: { emea: { members: ['p1', 'p2', 'p3'], strategy: 'weighted', fallback: { person: 'spare' } } },
            rules: [],
        };
        const { answers, store } = await assignAcrossTwoProcesses('Capped', assignment);
        expect(tally(answers)).toEqual({ p1: 60, p2: 30, p3: 30, spare: 80 });
        const { state } = await store.read();
        expect(state.people.p1?.count).toBe(60);
        expect(state.people.spare?.count).toBe(80);
    }, 120_000);

    it('assigning a lead again (an activity that runs twice) answers the first assignment and counts nothing', async () => {
        const tables = createTableClientFactory({ connectionString: azurite.connectionString }, 'Again');
        const assignments = createTableAssignmentStore(() => tables('Assignments'));
        const config = assignmentConfigSchema.parse({
            enabled: true,
            people: { p1: { displayName: 'One' }, p2: { displayName: 'Two' } },
            queues: { emea: { members: ['p1', 'p2'], strategy: 'round-robin' } },
            rules: [],
        });
        const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
        const input = { leadId: 'lk-x', queue: 'emea', ruleId: 'r', now: new Date(now), round: 0 };
        const first = await assignLead({ assignments, config, logger: silent }, input);
        const again = await Promise.all(
            [1, 2, 3].map(() => assignLead({ assignments, config, logger: silent }, input)),
        );
        expect(again.map((a) => a.personId)).toEqual([first.personId, first.personId, first.personId]);
        expect((await assignments.read()).state.people.p1?.count).toBe(1);
        expect((await assignments.read()).state.people.p2).toBeUndefined();
    });
});
