import { request } from 'node:http';
import { join } from 'node:path';

import { type StartedHost, startHost, waitFor } from '../../support/host';

const APP = join(__dirname, '../../apps/durable-basic');

interface Status {
    runtimeStatus: string;
    output: unknown;
    customStatus: unknown;
    input: unknown;
    name: string;
}

describe('durable functions on the started embedded host (memory storage)', () => {
    let host: StartedHost;

    const post = async (path: string, body?: unknown): Promise<Response> =>
        fetch(`${host.baseUrl}${path}`, {
            method: 'POST',
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    const start = async (
        name: string,
        input?: unknown,
        id?: string,
    ): Promise<{ id: string; statusQueryGetUri: string }> => {
        const response = await post(`/api/orchestrators/${name}${id ? `/${id}` : ''}`, input);
        expect(response.status).toBe(202);
        return (await response.json()) as { id: string; statusQueryGetUri: string };
    };
    const finished = async (statusUri: string): Promise<Status> =>
        waitFor(
            async () => {
                const response = await fetch(statusUri);
                const status = (await response.json()) as Status;
                return response.status === 200 ? status : undefined;
            },
            20000,
            `completion of ${statusUri}`,
        );

    beforeAll(async () => {
        host = await startHost({ appDir: APP, storage: 'memory', env: { DURABLE_HUB: 'HostTestHub' } });
    });

    afterAll(async () => {
        await host?.stop();
    });

    it('when the HTTP starter creates a check-status response then its status URL reports the chain output', async () => {
        const started = await start('chain', { cities: ['Tokyo', 'Osaka'] });
        expect(started.statusQueryGetUri.startsWith(`${host.baseUrl}/runtime/webhooks/durabletask/instances/`)).toBe(
            true,
        );
        const status = await finished(started.statusQueryGetUri);
        expect(status).toMatchObject({ runtimeStatus: 'Completed', output: ['Hello Tokyo', 'Hello Osaka'] });
    });

    it('when the starter waits for completion then the orchestration output is the HTTP response', async () => {
        const response = await post('/api/orchestrators/fanOut?wait=10000', 5);
        expect(response.status).toBe(200);
        expect(await response.json()).toBe(30);
    });

    it('when retries succeed and when they are exhausted then status reports Completed and Failed', async () => {
        const ok = await start('retrying', { key: 'h-ok', succeedOn: 2, maxAttempts: 3 });
        const bad = await start('retrying', { key: 'h-bad', succeedOn: 9, maxAttempts: 2 });
        expect((await finished(ok.statusQueryGetUri)).output).toEqual(['ok on attempt 2', 42, 'Hello after']);
        const failed = await finished(bad.statusQueryGetUri);
        expect(failed.runtimeStatus).toBe('Failed');
        expect(String(failed.output)).toContain('flaky attempt 2');
        expect(host.logs()).toMatch(
            new RegExp(`WARN Orchestration 'retrying' \\(${bad.id}\\) failed .*flaky attempt 2`, 'u'),
        );
    });

    it('when an event is raised through the client then it beats the timer', async () => {
        const started = await start('approval', { timeoutMs: 60000 });
        expect((await post(`/api/client/raise/${started.id}`, { name: 'approve', data: 'yes' })).status).toBe(202);
        expect((await finished(started.statusQueryGetUri)).output).toEqual({ approved: 'yes' });
    });

    it('when sub-orchestrations and continue-as-new run then their outputs are right', async () => {
        const parent = await start('parentCatches');
        const counter = await start('counter', 0);
        const output = (await finished(parent.statusQueryGetUri)).output as { child: number; caught: string };
        expect(output.child).toBe(20);
        expect(output.caught).toContain('child failed: boom');
        expect((await finished(counter.statusQueryGetUri)).output).toBe('done at 3');
    });

    it('when entities are signalled from a client and an orchestration then reading the state sees every operation', async () => {
        const started = await start('useCounter', 'host-k');
        expect((await finished(started.statusQueryGetUri)).output).toBe(12);
        expect((await post('/api/entities/counterEntity/host-k?op=add', 8)).status).toBe(202);
        const state = await waitFor(async () => {
            const read = (await (await fetch(`${host.baseUrl}/api/entities/counterEntity/host-k`)).json()) as {
                entityState: number;
            };
            return read.entityState === 20 ? read : undefined;
        });
        expect(state).toEqual({ entityExists: true, entityState: 20 });
    });

    it('when a running id is started again then the starter fails, and after termination the id is reusable', async () => {
        await start('waiter', undefined, 'host-dup');
        const again = await post('/api/orchestrators/waiter/host-dup');
        expect(again.status).toBe(500);
        expect((await post('/api/client/terminate/host-dup', { reason: 'test over' })).status).toBe(202);
        const status = (await (await post('/api/client/status/host-dup', {})).json()) as Status;
        expect(status).toMatchObject({ runtimeStatus: 'Terminated', output: 'test over' });
        const replaced = await start('chain', { cities: ['Nara'] }, 'host-dup');
        expect((await finished(replaced.statusQueryGetUri)).output).toEqual(['Hello Nara']);
    });

    it('when an instance is suspended, resumed and purged then the client API reflects each step', async () => {
        const started = await start('waiter');
        await post(`/api/client/suspend/${started.id}`);
        await post(`/api/client/raise/${started.id}`, { name: 'go', data: 7 });
        const suspended = (await (await post(`/api/client/status/${started.id}`, {})).json()) as Status;
        expect(suspended.runtimeStatus).toBe('Suspended');
        await post(`/api/client/resume/${started.id}`);
        expect((await finished(started.statusQueryGetUri)).output).toBe(7);
        const purged = (await (await post(`/api/client/purge/${started.id}`)).json()) as { instancesDeleted: number };
        expect(purged.instancesDeleted).toBe(1);
        expect((await fetch(started.statusQueryGetUri)).status).toBe(404);
    });

    it('when many instances start at once then every one completes with its own output', async () => {
        const started = await Promise.all(Array.from({ length: 30 }, (_, i) => start('chain', { cities: [`x${i}`] })));
        const statuses = await Promise.all(started.map((s) => finished(s.statusQueryGetUri)));
        statuses.forEach((status, i) => expect(status.output).toEqual([`Hello x${i}`]));
    });

    it('when the webhook creation URL is called with a timeout then it answers with the output once complete', async () => {
        const key = encodeURIComponent(String(host.ready.durableSystemKey));
        const response = await post(`/runtime/webhooks/durabletask/orchestrators/fanOut?timeout=10&code=${key}`, 3);
        expect(response.status).toBe(200);
        expect(await response.json()).toBe(12);
    });

    it('when a df.app.client.http function starts and waits then the client it receives works', async () => {
        const response = await post('/api/client-start/chain', { cities: ['Kobe'] });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual(['Hello Kobe']);
    });

    it('when no event comes then the durable timer wins the race', async () => {
        const started = await start('approval', { timeoutMs: 100 });
        expect((await finished(started.statusQueryGetUri)).output).toEqual({ approved: false, timedOut: true });
    });

    it('when an orchestration sets a custom status then the status URL reports it', async () => {
        const started = await start('fanOut', 3);
        const status = await finished(started.statusQueryGetUri);
        expect(status).toMatchObject({ output: 12, customStatus: { stage: 'summed', count: 3 }, input: 3 });
    });

    it('when the status URL is called then it carries the system key, and without it (or with another) the answer is 401', async () => {
        const started = await start('chain', { cities: ['Nara'] });
        const url = new URL(started.statusQueryGetUri);
        expect(url.searchParams.get('code')).toBe(host.ready.durableSystemKey);
        await finished(started.statusQueryGetUri);
        url.searchParams.delete('code');
        const anonymous = await fetch(url);
        expect(anonymous.status).toBe(401);
        expect(((await anonymous.json()) as { error: string }).error).toMatch(/system key/u);
        url.searchParams.set('code', 'guess');
        expect((await fetch(url)).status).toBe(401);
        for (const path of ['/durabletask/instances/', '/runtime/webhooks/durabletask/instances/']) {
            expect((await fetch(`${host.baseUrl}${path}`)).status).toBe(401);
            expect((await fetch(`${host.baseUrl}${path}`, { method: 'DELETE' })).status).toBe(401);
        }
        const rewind = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/${started.id}/rewind`, {
            method: 'POST',
        });
        expect(rewind.status).toBe(401);
    });

    it('when the instances collection is called with a method other than GET or DELETE then 405, not a listing', async () => {
        const key = { 'x-functions-key': String(host.ready.durableSystemKey) };
        const post = await fetch(`${host.baseUrl}/durabletask/instances/`, { method: 'POST', headers: key });
        expect(post.status).toBe(405);
        const put = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances`, {
            method: 'PUT',
            headers: key,
        });
        expect(put.status).toBe(405);
    });

    it('when a path has a malformed escape then 400, not a bare 500', async () => {
        const key = { 'x-functions-key': String(host.ready.durableSystemKey) };
        for (const path of ['/durabletask/instances/%', '/runtime/webhooks/durabletask/instances/%zz/terminate']) {
            const response = await fetch(`${host.baseUrl}${path}`, { headers: key, method: 'GET' });
            expect(response.status).toBe(400);
            expect(((await response.json()) as { error: string }).error).toMatch(/Malformed percent-encoding/u);
        }
    });

    it('when the Host header is not a loopback name then the durable API refuses (DNS rebinding)', async () => {
        const key = String(host.ready.durableSystemKey);
        const status = (hostHeader: string) =>
            new Promise<number>((resolve, reject) => {
                const req = request(
                    `${host.baseUrl}/runtime/webhooks/durabletask/instances/?code=${encodeURIComponent(key)}`,
                    { headers: { host: hostHeader } },
                    (res) => {
                        res.resume();
                        resolve(res.statusCode ?? 0);
                    },
                );
                req.on('error', reject);
                req.end();
            });
        const port = new URL(host.baseUrl).port;
        expect(await status(`attacker.example:${port}`)).toBe(403);
        expect(await status(`127.0.0.1:${port}`)).toBe(200);
        expect(await status(`localhost:${port}`)).toBe(200);
        expect(await status(`[::1]:${port}`)).toBe(200);
    });
});
