import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type StartedHost, startHost, waitFor } from '../../support/host';
import { removeHostData } from '../../support/removeHostData';

const appDir = join(__dirname, '../../apps/timers');

interface Run {
    name: string;
    at: string;
    timer: {
        isPastDue: boolean;
        schedule: { adjustForDST: boolean };
        scheduleStatus: { last: string; next: string; lastUpdated: string };
    };
}

async function runs(host: StartedHost, name: string): Promise<Run[]> {
    const all = (await (await fetch(`${host.baseUrl}/api/timerLog`)).json()) as Run[];
    return all.filter((r) => r.name === name);
}

async function runsAtLeast(host: StartedHost, name: string, count: number): Promise<Run[]> {
    return waitFor(
        async () => {
            const found = await runs(host, name);
            return found.length >= count ? found : undefined;
        },
        15_000,
        `${count} run(s) of ${name}`,
    );
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('timer triggers', () => {
    let host: StartedHost;
    beforeAll(async () => {
        host = await startHost({ appDir });
    });
    afterAll(async () => {
        await host?.stop();
    });

    test('when the schedule has a seconds field then the function fires on it, with the timer object', async () => {
        const found = await runsAtLeast(host, 'everySecond', 2);
        const first = found[0]!;
        expect(first.timer.isPastDue).toBe(false);
        expect(typeof first.timer.schedule.adjustForDST).toBe('boolean');
        expect(first.timer.scheduleStatus.next).toMatch(ISO);
        expect(first.timer.scheduleStatus.lastUpdated).toMatch(ISO);
        expect(Date.parse(first.timer.scheduleStatus.next)).toBeGreaterThan(Date.parse(first.at) - 1000);
        expect(found[1]!.timer.scheduleStatus.last).toMatch(ISO);
    });

    test('when runOnStartup is set then a yearly timer runs once at start', async () => {
        const found = await runsAtLeast(host, 'onStartup', 1);
        expect(found).toHaveLength(1);
        expect(found[0]!.timer.isPastDue).toBe(false);
    });

    test('when the schedule is a %SETTING% then the setting is the schedule', async () => {
        await runsAtLeast(host, 'fromSetting', 2);
        expect(host.logs()).toContain("fromSetting: timerTrigger '*/2 * * * * *'");
    });

    test('when a timer function throws then the next occurrence still runs', async () => {
        await runsAtLeast(host, 'failing', 2);
        expect(host.logs()).toMatch(/Executed 'Functions\.failing' \(Failed/);
    });

    test('when the function has a retry policy then a failed run is retried with its retry context', async () => {
        const found = await runsAtLeast(host, 'retried', 3);
        const contexts = found.map((r) => (r.timer as unknown as { retryContext: unknown }).retryContext);
        expect(contexts).toEqual([
            { retryCount: 0, maxRetryCount: 2 },
            { retryCount: 1, maxRetryCount: 2 },
            { retryCount: 2, maxRetryCount: 2 },
        ]);
        expect(host.logs()).toMatch(/Executed 'Functions\.retried' \(Succeeded/);
    });
});

describe('timer schedule monitor across restarts (disk storage)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-host-timers-'));
    afterAll(() => removeHostData(dataDir));

    test('when an occurrence was missed while the host was down then the first run after restart is past due', async () => {
        const first = await startHost({ appDir, storage: 'disk', dataDir });
        try {
            const seen = await runsAtLeast(first, 'monitored', 1);
            expect(seen.every((r) => !r.timer.isPastDue)).toBe(true);
        } finally {
            expect(await first.stop()).toBe(0);
        }
        // Every run saves the next occurrence; wait until the latest one (at most 1 s after the stop) has passed.
        const recordedNext = Date.now() + 1100;
        await waitFor(() => Date.now() > recordedNext, 5_000, 'a missed occurrence');

        const second = await startHost({ appDir, storage: 'disk', dataDir });
        try {
            const after = await runsAtLeast(second, 'monitored', 1);
            expect(after[0]!.timer.isPastDue).toBe(true);
            expect(after[0]!.timer.scheduleStatus.last).toMatch(ISO);
            expect(second.logs()).toMatch(/Timer 'monitored' missed/);
        } finally {
            await second.stop();
        }
    });
});
