import { connect } from 'node:net';
import { join } from 'node:path';

import fc from 'fast-check';

import { type StartedHost, startHost, waitFor } from '../../support/host';

const appDir = join(__dirname, '../../apps/basic');
let host: StartedHost;
let port: number;

beforeAll(async () => {
    host = await startHost({
        appDir,
        env: { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '262144', LOCAL_HTTP_BODY_IDLE_SECONDS: '1' },
    });
    port = Number(new URL(host.baseUrl).port);
});
afterAll(async () => {
    await host?.stop();
});

interface RawAnswer {
    /** The status line's code; undefined when the host closed without answering. */
    status: number | undefined;
    text: string;
    ms: number;
}

/**
 * Writes bytes to the host on a fresh connection and reads until it closes or `waitMs` passes. `halfClose` ends the
 * client's side after writing (what a short body with a lying Content-Length looks like to the server).
 */
function raw(bytes: string | Buffer, options: { halfClose?: boolean; waitMs?: number } = {}): Promise<RawAnswer> {
    const started = Date.now();
    return new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let text = '';
        const done = (): void => {
            clearTimeout(timer);
            socket.destroy();
            const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
            resolve({ status: status ? Number(status) : undefined, text, ms: Date.now() - started });
        };
        const timer = setTimeout(done, options.waitMs ?? 3000);
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('error', done);
        socket.on('close', done);
        socket.write(bytes, () => {
            if (options.halfClose) socket.end();
        });
    });
}

async function stillServes(): Promise<void> {
    const res = await fetch(`${host.baseUrl}/api/hello/still-up`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello still-up');
}

describe('the front door: no request can stop the host', () => {
    test.each([['exa mple'], ['['], ['a:b:c'], ['127.0.0.1:99999'], ['%'], ['a^b'], ['[::1'], ['http://x']])(
        'when the Host header is %j then 400, and the host keeps serving',
        async (hostHeader) => {
            const answer = await raw(`GET /api/hello/x HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
            expect(answer.status).toBe(400);
            await stillServes();
        },
    );

    test.each([['GET http://[/api/hello HTTP/1.1'], ['GET http://a:b:c/ HTTP/1.1'], ['GET //[/ HTTP/1.1']])(
        'when the request line is %j then a 4xx, and the host keeps serving',
        async (requestLine) => {
            const answer = await raw(`${requestLine}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
            expect(answer.status).toBeGreaterThanOrEqual(400);
            expect(answer.status).toBeLessThan(500);
            await stillServes();
        },
    );

    test('when the path has malformed escapes (%, %zz, %E0%A4%A) then no 5xx', async () => {
        for (const path of ['/api/hello/%', '/api/hello/%zz', '/api/files/%E0%A4%A', '/api/%', '/%%%']) {
            const res = await fetch(`${host.baseUrl}${path}`);
            expect(res.status).toBeLessThan(500);
        }
        await stillServes();
    });

    test('when 300 random request lines, headers and paths arrive then the host answers each below 500 and keeps serving', async () => {
        const token = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) });
        const anyByte = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)) });
        const target = fc.oneof(
            fc.constantFrom('/', '/api/hello/x', '/api/files/a/b', '/api/echo', '*'),
            token.map((t) => `/api/${t}`),
            token.map((t) => `http://${t}/api/hello`),
            token,
        );
        const request = fc.record({
            method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'), token),
            target,
            hostHeader: fc.oneof(fc.constant('127.0.0.1'), token, anyByte),
            extra: fc.array(fc.tuple(token, anyByte), { maxLength: 3 }),
        });
        const samples = fc.sample(request, { numRuns: 300, seed: 15_18 });
        const statuses = new Map<string, number>();
        for (const sample of samples) {
            const headers = [`Host: ${sample.hostHeader}`, ...sample.extra.map(([k, v]) => `${k}: ${v}`)];
            const bytes = Buffer.from(
                `${sample.method} ${sample.target} HTTP/1.1\r\n${headers.join('\r\n')}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
                'latin1',
            );
            const answer = await raw(bytes, { waitMs: 2000 });
            const key = String(answer.status ?? 'closed');
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            if (answer.status !== undefined && answer.status >= 500)
                throw new Error(`5xx for ${JSON.stringify(sample)}`);
        }
        expect(host.process.exitCode).toBeNull();
        await stillServes();
        expect([...statuses.keys()].some((status) => status.startsWith('4'))).toBe(true);
    }, 120_000);
});

describe('the body limit stops reading', () => {
    test('when Content-Length is over the limit then 413 at once, before any body byte is sent, and the connection closes', async () => {
        const answer = await raw('POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 94371840\r\n\r\n', {
            waitMs: 5000,
        });
        expect(answer.status).toBe(413);
        expect(answer.text).toMatch(/connection: close/iu);
        expect(answer.ms).toBeLessThan(2000);
    });

    test('when Content-Length is 300000 and the body is short then 413 at once instead of waiting', async () => {
        const answer = await raw('POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 300000\r\n\r\nshort', {
            waitMs: 5000,
        });
        expect(answer.status).toBe(413);
        expect(answer.ms).toBeLessThan(2000);
    });

    test('when a short body lies about its length (under the limit) and the client ends its side then 400', async () => {
        const answer = await raw('POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000\r\n\r\nshort', {
            halfClose: true,
        });
        expect(answer.status).toBe(400);
    });

    test('when a short body lies about its length and the client keeps waiting then 408 after the idle time', async () => {
        const answer = await raw('POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000\r\n\r\nshort', {
            waitMs: 5000,
        });
        expect(answer.status).toBe(408);
        expect(answer.ms).toBeLessThan(4000);
    });

    test('when a 90 MB upload is sent then the 413 comes after at most the limit was read, not the whole upload', async () => {
        const before = host.logs().length;
        const started = Date.now();
        const res = await fetch(`${host.baseUrl}/api/echo`, { method: 'POST', body: Buffer.alloc(90 * 1024 * 1024) });
        expect(res.status).toBe(413);
        expect(Date.now() - started).toBeLessThan(5000);
        expect(host.logs().slice(before)).not.toMatch(/Executed 'Functions\.echo'/u);
        await stillServes();
    });
});

describe('aborted uploads', () => {
    test('when 40 clients abort their uploads then no ERROR line per request, and the host counts them in one warning', async () => {
        await Promise.all(
            Array.from({ length: 40 }, () =>
                raw('POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\npartial', {
                    waitMs: 300,
                }),
            ),
        );
        await stillServes();
        const logs = host.logs();
        expect(logs).not.toMatch(/ERROR HTTP request failed/u);
        await host.stop();
        const counted = await waitFor(
            () =>
                /WARN (\d+) request\(s\) aborted by the client before the body was complete/u.exec(host.logs()) ??
                undefined,
            5000,
            'the count',
        );
        expect(Number(counted?.[1])).toBeGreaterThanOrEqual(40);
    });
});
