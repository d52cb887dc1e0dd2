import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { idempotencyHeader, signatureHeader, verifyWebhookSignature } from '../shared/adapters/webhook/signWebhook';

export interface InboxDelivery {
    leadId: string;
    /** How many times this lead arrived (a forced redelivery arrives again, with the same idempotency key). */
    count: number;
    idempotencyKey: string | undefined;
}

export interface LocalInbox {
    url: string;
    /** Deliveries per lead id. */
    deliveries(leadId: string): number;
    /** Requests refused for a missing or wrong signature. */
    rejected(): number;
    stop(): Promise<void>;
}

/**
 * The publisher's side of the signed webhook, on loopback: refuses a bad signature (401), answers a record id, and
 * reports each delivery by lead id only (the body carries the contact, which is never printed).
 */
export async function startLocalInbox(
    secret: string,
    options: { port?: number; onDelivery?: (delivery: InboxDelivery) => void } = {},
): Promise<LocalInbox> {
    const byLead = new Map<string, number>();
    let rejected = 0;
    const server: Server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
            const signature = req.headers[signatureHeader.toLowerCase()] as string | undefined;
            if (!verifyWebhookSignature(secret, body, signature, new Date())) {
                rejected++;
                res.writeHead(401).end();
                return;
            }
            let leadId: unknown;
            try {
                leadId = (JSON.parse(body) as { leadId?: unknown }).leadId;
            } catch {
                leadId = undefined;
            }
            if (typeof leadId !== 'string') {
                res.writeHead(400).end();
                return;
            }
            const count = (byLead.get(leadId) ?? 0) + 1;
            byLead.set(leadId, count);
            const key = req.headers[idempotencyHeader.toLowerCase()];
            options.onDelivery?.({ leadId, count, idempotencyKey: typeof key === 'string' ? key : undefined });
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `inbox-${leadId}` }));
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/leads`,
        deliveries: (leadId) => byLead.get(leadId) ?? 0,
        rejected: () => rejected,
        stop: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
