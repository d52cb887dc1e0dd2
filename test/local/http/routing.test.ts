import { request } from 'node:http';
import { join } from 'node:path';

import { type StartedHost, startHost } from '../../support/host';

const appDir = join(__dirname, '../../apps/basic');
let host: StartedHost;

beforeAll(async () => {
    host = await startHost({ appDir, env: { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '65536' } });
});
afterAll(async () => {
    await host?.stop();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; text: string }> {
    const res = await fetch(`${host.baseUrl}${path}`, init);
    return { status: res.status, text: await res.text() };
}

describe('route templates', () => {
    test('when an optional parameter is present or absent then both match', async () => {
        expect(await get('/api/hello/ada')).toEqual({ status: 200, text: 'hello ada' });
        expect(await get('/api/hello')).toEqual({ status: 200, text: 'hello nobody' });
    });

    test('when a literal route and a parameter route both match then the literal wins', async () => {
        expect(await get('/api/items/new')).toEqual({ status: 200, text: 'the new-item form' });
    });

    test('when a value breaks the int constraint then the route does not match (404)', async () => {
        expect((await get(`/api/items/abc?code=${host.functionKey}`)).status).toBe(404);
        expect((await get(`/api/items/99999999999?code=${host.functionKey}`)).status).toBe(404);
    });

    test('when the route uses a catch-all then the rest of the path is one parameter', async () => {
        expect(await get('/api/files/a/b/c.txt')).toEqual({ status: 200, text: 'path=a/b/c.txt' });
    });

    test('when the route comes from a %SETTING% with a range constraint then it is resolved and enforced', async () => {
        expect(await get('/api/reports/2024')).toEqual({ status: 200, text: 'report 2024' });
        expect((await get('/api/reports/1999')).status).toBe(404);
    });

    test('when a function has no route then its name is the route, case-insensitively', async () => {
        expect(await get('/api/noRoute')).toEqual({ status: 200, text: 'noRoute GET' });
        expect(await get('/API/NOROUTE', { method: 'POST' })).toEqual({ status: 200, text: 'noRoute POST' });
    });

    test('when no function has the route or the method then the answer is 404', async () => {
        expect((await get('/api/nothing-here')).status).toBe(404);
        expect((await get('/elsewhere')).status).toBe(404);
        expect((await get('/api/hello/ada', { method: 'DELETE' })).status).toBe(404);
    });
});

describe('auth levels', () => {
    test('when a function-level route is called without a key then 401, with the wrong key 401', async () => {
        expect((await get('/api/items/5')).status).toBe(401);
        expect((await get('/api/items/5?code=wrong')).status).toBe(401);
    });

    test('when the key is given as ?code= or x-functions-key then the function runs with params and query', async () => {
        const viaQuery = await get(`/api/items/5?code=${host.functionKey}&q=z`);
        expect(viaQuery.status).toBe(200);
        expect(JSON.parse(viaQuery.text)).toEqual({ id: '5', method: 'GET', q: 'z', body: null });
        const viaHeader = await fetch(`${host.baseUrl}/api/items/7`, {
            method: 'PUT',
            headers: { 'x-functions-key': host.functionKey, 'content-type': 'application/json' },
            body: JSON.stringify({ n: 1 }),
        });
        expect(viaHeader.status).toBe(200);
        expect(await viaHeader.json()).toEqual({ id: '7', method: 'PUT', q: null, body: { n: 1 } });
    });

    test('when an admin-level route is called then it needs the key too', async () => {
        expect((await get('/api/admin/ping')).status).toBe(401);
        expect(await get('/api/admin/ping', { headers: { 'x-functions-key': host.functionKey } })).toEqual({
            status: 200,
            text: 'admin pong',
        });
    });

    test('when the app sets LOCAL_FUNCTION_KEY then that is the key the ready line reports', () => {
        expect(host.functionKey).toBe('basic-test-key');
    });

    test('when a key is missing or wrong then the 401 and the log line say which key is expected, never the key', async () => {
        const missing = await fetch(`${host.baseUrl}/api/items/5`);
        expect(missing.status).toBe(401);
        expect(((await missing.json()) as { error: string }).error).toMatch(
            /no key was given.*function key \(setting LOCAL_FUNCTION_KEY\) as \?code= or the x-functions-key header/u,
        );
        const wrong = await fetch(`${host.baseUrl}/api/items/5?code=nope`);
        expect(((await wrong.json()) as { error: string }).error).toMatch(/the key is wrong/u);
        expect(host.logs()).toMatch(
            /401 GET \/api\/items\/5: no key was given; 'item' \(authLevel function\) needs the function key \(setting LOCAL_FUNCTION_KEY\)/u,
        );
        const refusals = host
            .logs()
            .split('\n')
            .filter((line) => line.includes('401 '));
        expect(refusals.join('\n')).not.toContain('basic-test-key');
    });
});

describe('request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT=65536)', () => {
    test('when the body is under the limit then the handler gets every byte', async () => {
        const body = Buffer.alloc(60_000, 7);
        const res = await fetch(`${host.baseUrl}/api/echo`, { method: 'POST', body });
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    });

    test('when the declared length is over the limit then 413 naming the setting', async () => {
        const res = await fetch(`${host.baseUrl}/api/echo`, { method: 'POST', body: Buffer.alloc(70_000, 1) });
        expect(res.status).toBe(413);
        expect(await res.json()).toEqual({
            error: 'The request body is larger than 65536 bytes (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT)',
        });
    });

    test('when a chunked upload grows past the limit then 413 and the host stops reading it; the host still serves', async () => {
        const status = await new Promise<number>((resolve, reject) => {
            const url = new URL('/api/echo', host.baseUrl);
            const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
            });
            req.on('error', reject);
            let sent = 0;
            const pump = (): void => {
                // Far more than the limit if the host kept reading; it answers once 64 KiB have arrived.
                while (sent < 10_000_000) {
                    sent += 16_384;
                    if (!req.write(Buffer.alloc(16_384, 2))) return void req.once('drain', pump);
                }
                req.end();
            };
            pump();
        });
        expect(status).toBe(413);
        const after = await get('/api/hello/again');
        expect(after.status).toBe(200);
    });
});
