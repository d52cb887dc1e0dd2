import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import type { HostExtension, HostLogger } from '../contracts';

/**
 * The host's one HTTP server (loopback only). Each request goes to the extensions in order until one handles it
 * (durable webhooks, HTTP triggers, ...); nothing handles it: 404. Until the app is loaded it answers 503.
 */
export function createHostServer(
    extensions: () => readonly HostExtension[],
    isReady: () => boolean,
    logger: HostLogger,
): Server {
    return createServer((req, res) => {
        if (!isReady()) {
            res.writeHead(503, { 'retry-after': '1', 'content-length': 0 }).end();
            return;
        }
        const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
        void (async () => {
            for (const extension of extensions()) {
                if (extension.handleHttp && (await extension.handleHttp(req, res, url))) return;
            }
            res.writeHead(404, { 'content-length': 0 }).end();
        })().catch((err: unknown) => {
            logger.error('HTTP request failed in the host', {
                path: url.pathname,
                error: err instanceof Error ? err.message : String(err),
            });
            if (!res.headersSent) res.writeHead(500, { 'content-length': 0 }).end();
            else res.destroy();
        });
    });
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
