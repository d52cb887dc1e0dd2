import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
    method: string;
    /** Path and query, as sent. */
    path: string;
    pathname: string;
    query: URLSearchParams;
    headers: IncomingHttpHeaders;
    body: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fakes read whatever the client sent
    json: any;
}

export type FakeHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeServer {
    url: string;
    requests: RecordedRequest[];
    /** Replaces the handler for the next requests (behaviour under test). */
    use(handler: FakeHandler): void;
    /**
     * The next request this matches is processed in full, then its answer is lost: the connection drops instead
     * (a crash or a network cut after the service acted, so the client sends the same call again).
     */
    loseAnswer(match: (req: RecordedRequest) => boolean): void;
    close(): Promise<void>;
}

/**
 * A loopback HTTP server on a free port that records every request and answers through the current handler. With
 * `tls` (see `selfSignedCertificate`) it serves HTTPS, for clients that insist on it (MSAL's authority).
 */
export async function startFakeServer(handler: FakeHandler, tls?: { key: string; cert: string }): Promise<FakeServer> {
    let current = handler;
    let lose: ((req: RecordedRequest) => boolean) | undefined;
    const requests: RecordedRequest[] = [];
    const listener = (req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            const url = new URL(req.url ?? '/', 'http://127.0.0.1');
            let json: unknown;
            try {
                json = body ? JSON.parse(body) : undefined;
            } catch {
                json = undefined;
            }
            const recorded: RecordedRequest = {
                method: req.method ?? 'GET',
                path: req.url ?? '/',
                pathname: decodeURIComponent(url.pathname),
                query: url.searchParams,
                headers: req.headers,
                body,
                json,
            };
            requests.push(recorded);
            if (lose?.(recorded)) {
                lose = undefined;
                res.writeHead = () => res;
                res.end = (() => {
                    res.socket?.destroy();
                    return res;
                }) as typeof res.end;
            }
            Promise.resolve(current(recorded, res)).catch((err: unknown) => {
                res.statusCode = 500;
                res.end(String(err));
            });
        });
    };
    const server = tls ? createTlsServer(tls, listener) : createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
        requests,
        use: (h) => {
            current = h;
        },
        loseAnswer: (match) => {
            lose = match;
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

export function sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
}

/** Drops the TCP connection without an HTTP answer (a connection reset as the client sees it). */
export function resetConnection(res: ServerResponse): void {
    res.socket?.destroy();
}
