import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import type { HostExtension, HostLogger } from '../contracts';
import { AbortedRequestCounter } from './AbortedRequestCounter';
import { ClientAbortedError, HttpError } from './httpErrors';

export interface HostServer {
    server: Server;
    /** Logs what is still counted (aborted uploads) before the host stops. */
    flushReports(): void;
}

/**
 * The URL of a request, or undefined when its request target or Host header cannot make one (`Host: exa mple`,
 * `Host: [`, `Host: 127.0.0.1:99999`, `GET http://[/`): Kestrel refuses those with 400, and so does the host.
 */
export function requestUrl(req: IncomingMessage): URL | undefined {
    const host = req.headers.host ?? '127.0.0.1';
    const port = HOST_HEADER.exec(host);
    if (!port || Number(port[1] ?? 0) > 65535) return undefined;
    try {
        return new URL(req.url ?? '/', `http://${host}`);
    } catch {
        return undefined;
    }
}

/** After a refusal the socket reads on for this long, or this many bytes, before it is closed (a "lingering close"). */
const LINGER_MS = 1_000;
const LINGER_BYTES = 1024 * 1024;

/**
 * Closes the connection after the answer without reading the rest of the upload, yet not at once: a client still
 * sending would get a reset before it read the answer. Like nginx's lingering close, the socket is ended and what
 * still arrives is discarded for a short, bounded while, then it is destroyed.
 */
function closeAfterAnswer(socket: Socket): void {
    const linger = socket as Socket & { destroySoon?: () => void };
    linger.destroySoon = () => {
        let discarded = 0;
        const stop = (): void => {
            clearTimeout(timer);
            socket.destroy();
        };
        const timer = setTimeout(stop, LINGER_MS);
        timer.unref();
        socket.on('data', (chunk: Buffer) => {
            discarded += chunk.length;
            if (discarded > LINGER_BYTES) stop();
        });
        socket.once('end', stop);
        socket.end();
    };
}

function answer(res: ServerResponse, status: number, message: string, close: boolean): void {
    if (res.headersSent) {
        res.destroy();
        return;
    }
    const body = JSON.stringify({ error: message });
    const headers: Record<string, string | number> = {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
    };
    if (close) {
        headers.connection = 'close';
        closeAfterAnswer(res.socket as Socket);
    }
    res.writeHead(status, headers).end(body);
}

/** `host[:port]` as RFC 9110 allows it: a reg-name or IPv4 address, or an IPv6 literal in brackets. */
const HOST_HEADER = /^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~!$&'()*+,;=%]+)(?::(\d{1,5}))?$/i;

/**
 * The host's one HTTP server (loopback only). Each request goes to the extensions in order until one handles it
 * (durable webhooks, HTTP triggers, ...); nothing handles it: 404. Until the host can store and enqueue it answers
 * 503. No request can stop the host: whatever its request line, headers or path encoding, the worst it gets is a
 * 4xx, or a 500 logged with the path when an extension fails.
 */
export function createHostServer(
    extensions: () => readonly HostExtension[],
    isReady: () => boolean,
    logger: HostLogger,
): HostServer {
    const aborted = new AbortedRequestCounter(logger);
    const fail = (req: IncomingMessage, res: ServerResponse, url: URL | undefined, err: unknown): void => {
        if (err instanceof ClientAbortedError) {
            aborted.note();
            res.destroy();
            return;
        }
        if (err instanceof HttpError) return answer(res, err.status, err.message, err.close);
        logger.error('HTTP request failed in the host', {
            method: req.method,
            path: url?.pathname,
            error: err instanceof Error ? err.message : String(err),
        });
        answer(res, 500, 'The host failed to handle this request', false);
    };
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        if (!isReady()) {
            res.writeHead(503, { 'retry-after': '1', 'content-length': 0 }).end();
            return;
        }
        const url = requestUrl(req);
        if (!url) throw new HttpError(400, 'Invalid Host header or request target', true);
        for (const extension of extensions()) {
            if (extension.handleHttp && (await extension.handleHttp(req, res, url))) return;
        }
        res.writeHead(404, { 'content-length': 0 }).end();
    };
    const server = createServer((req, res) => {
        try {
            handle(req, res).catch((err: unknown) => fail(req, res, requestUrl(req), err));
        } catch (err) {
            fail(req, res, undefined, err);
        }
    });
    return { server, flushReports: () => aborted.flush() };
}

export interface ListeningServer {
    port: number;
    /** Stops accepting connections, waits up to `graceMs` for open ones to finish, then closes the rest. */
    close(graceMs: number): Promise<void>;
}

/** Listens on 127.0.0.1 (`port` 0: a free port). */
export async function listenOnLoopback(server: Server, port: number): Promise<ListeningServer> {
    const actual = await new Promise<number>((resolvePort, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
    });
    const closed = new Promise<void>((done) => server.once('close', () => done()));
    return {
        port: actual,
        close: async (graceMs) => {
            if (server.listening) server.close();
            server.closeIdleConnections();
            await Promise.race([closed, sleep(graceMs, undefined, { ref: false })]);
            server.closeAllConnections();
        },
    };
}
