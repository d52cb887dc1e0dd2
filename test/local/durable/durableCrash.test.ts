import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type StartedHost, startHost, waitFor } from '../../support/host';
import { removeHostData } from '../../support/removeHostData';

const APP = join(__dirname, '../../apps/durable-basic');

interface Status {
    runtimeStatus: string;
    output: unknown;
    historyEvents?: Array<{ EventType: string }>;
}

const lines = (file: string): string[] =>
    existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe('durable instances survive a host crash (disk storage)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'durable-crash-data-'));
    const gateA = mkdtempSync(join(tmpdir(), 'durable-crash-a-'));
    const gateB = mkdtempSync(join(tmpdir(), 'durable-crash-b-'));
    let host: StartedHost | undefined;

    // The durable API's system key; with disk storage the same one after a restart.
    const systemKey = (): Record<string, string> => ({ 'x-functions-key': String(host!.ready.durableSystemKey) });
    const launch = () => startHost({ appDir: APP, storage: 'disk', dataDir, env: { DURABLE_HUB: 'CrashHub' } });
    const status = async (id: string, history = false): Promise<Status> => {
        const response = await fetch(
            `${host!.baseUrl}/durabletask/instances/${id}${history ? '?showHistory=true' : ''}`,
            { headers: systemKey() },
        );
        return (await response.json()) as Status;
    };
    const start = async (name: string, id: string, input: unknown): Promise<void> => {
        const response = await fetch(`${host!.baseUrl}/api/orchestrators/${name}/${id}`, {
            method: 'POST',
            body: JSON.stringify(input),
        });
        expect(response.status).toBe(202);
    };

    afterAll(async () => {
        await host?.kill('SIGKILL');
        for (const dir of [dataDir, gateA, gateB]) await removeHostData(dir);
    });

    it('when the host is killed mid-flight and restarted then every instance completes exactly once', async () => {
        host = await launch();
        writeFileSync(join(gateB, 'open'), '');
        const groupA = ['a0', 'a1', 'a2'];
        const groupB = ['b0', 'b1', 'b2'];
        for (const id of groupA) await start('crashy', id, { dir: gateA, id, timerMs: 200 });
        for (const id of groupB) await start('crashy', id, { dir: gateB, id, timerMs: 3000 });
        await start('approval', 'c0', { timeoutMs: 120000 });
        await start('crashParent', 'p0', { dir: gateA, id: 'p0', timerMs: 200 });
        await fetch(`${host.baseUrl}/api/entities/counterEntity/crash?op=add`, { method: 'POST', body: '5' });

        // A: activities blocked in flight; B: past the activity, waiting on a durable timer.
        await waitFor(() => lines(join(gateA, 'runs.log')).length === 4, 15000, 'gate activities running');
        await waitFor(
            async () => {
                const all = await Promise.all(groupB.map((id) => status(id, true)));
                return all.every((s) => s.historyEvents?.some((e) => e.EventType === 'TimerCreated'));
            },
            15000,
            'timers pending',
        );
        await waitFor(async () => {
            const read = await fetch(`${host!.baseUrl}/api/entities/counterEntity/crash`);
            return ((await read.json()) as { entityState?: number }).entityState === 5;
        });
        expect(lines(join(gateB, 'completions.log'))).toEqual([]);

        await host.kill('SIGKILL');
        writeFileSync(join(gateA, 'open'), '');
        host = await launch();

        for (const id of [...groupA, ...groupB]) {
            const done = await waitFor(
                async () => {
                    const s = await status(id);
                    return s.runtimeStatus === 'Completed' ? s : undefined;
                },
                20000,
                `completion of ${id}`,
            );
            expect(done.output).toBe(`passed ${id}`);
        }
        // At-least-once: the blocked activities ran again after the restart; completions happened once each.
        const parent = await waitFor(
            async () => {
                const s = await status('p0');
                return s.runtimeStatus === 'Completed' ? s : undefined;
            },
            20000,
            'completion of the parent',
        );
        expect(parent.output).toBe('parent got passed p0');
        expect(lines(join(gateA, 'runs.log')).length).toBeGreaterThanOrEqual(8);
        expect(lines(join(gateA, 'completions.log')).sort()).toEqual([...groupA, 'p0']);
        expect(lines(join(gateB, 'completions.log')).sort()).toEqual(groupB);
        expect(lines(join(gateB, 'runs.log')).sort()).toEqual(groupB);

        expect((await status('c0')).runtimeStatus).toBe('Running');
        await fetch(`${host.baseUrl}/durabletask/instances/c0/raiseEvent/approve`, {
            method: 'POST',
            headers: systemKey(),
            body: '"after restart"',
        });
        await waitFor(async () => ((await status('c0')).runtimeStatus === 'Completed' ? true : undefined));
        expect((await status('c0')).output).toEqual({ approved: 'after restart' });
        const entity = await fetch(`${host.baseUrl}/durabletask/entities/counterEntity/crash`, {
            headers: systemKey(),
        });
        expect(await entity.json()).toBe(5);
    });
});
