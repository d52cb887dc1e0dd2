import { createServer, type Server } from 'node:http';

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
