import { join } from 'node:path';

import { type StartedHost, startHost } from '../../support/host';

const appDir = join(__dirname, '../../apps/basic');
let host: StartedHost;

beforeAll(async () => {
    host = await startHost({ appDir });
});
afterAll(async () => {
    await host?.stop();
});

describe('HTTP responses are returned as the handler built them', () => {
    test('when the handler returns an HttpResponse then status, headers, cookies and JSON body arrive', async () => {
        const res = await fetch(`${host.baseUrl}/api/cookies`);
        expect(res.status).toBe(201);
        expect(res.headers.get('x-custom')).toBe('yes');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('content-type')).toBe('application/json');
        expect(res.headers.getSetCookie()).toEqual([
            'session=abc; Path=/; HttpOnly; SameSite=Strict',
            'theme=dark; Max-Age=3600; Secure',
        ]);
        expect(await res.json()).toEqual({ created: true });
    });

    test('when the handler returns an init object with a text body then status and text content type arrive', async () => {
        const res = await fetch(`${host.baseUrl}/api/text`);
        expect(res.status).toBe(202);
        expect(res.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
        expect(await res.text()).toBe('plain text');
    });

    test('when the body is binary then every byte round-trips', async () => {
        const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        const res = await fetch(`${host.baseUrl}/api/echo`, { method: 'POST', body: bytes });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/octet-stream');
        expect(res.headers.get('x-received-bytes')).toBe('256');
        expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    });

    test('when the handler returns nothing then 204 with no body', async () => {
        const res = await fetch(`${host.baseUrl}/api/empty`);
        expect(res.status).toBe(204);
        expect(await res.text()).toBe('');
    });

    test('when the handler throws then 500 with an empty body, and the failure is in the host log', async () => {
        const res = await fetch(`${host.baseUrl}/api/boom`);
        expect(res.status).toBe(500);
        const body = await res.text();
        expect(body).toBe('');
        expect(host.logs()).toMatch(/Executed 'Functions\.boom' \(Failed, Id=[0-9a-f-]{36}, Duration=\d+ms\)/);
    });

    test('when many requests run at once then each gets its own answer', async () => {
        const names = Array.from({ length: 40 }, (_, i) => `n${i}`);
        const texts = await Promise.all(names.map(async (n) => (await fetch(`${host.baseUrl}/api/hello/${n}`)).text()));
        expect(texts).toEqual(names.map((n) => `hello ${n}`));
    });
});
