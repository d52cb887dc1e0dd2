import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { verifyWebhookSignature } from '../../shared/adapters/webhook/signWebhook';

/** The publisher's side of the signed webhook: refuses a bad signature (401), counts deliveries per lead. */
export async function startDemoReceiver(secret: string) {
    const byLead = new Map<string, number>();
    let rejected = 0;
    const server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
            if (
                !verifyWebhookSignature(secret, body, req.headers['x-lead-signature'] as string | undefined, new Date())
            ) {
                rejected++;
                res.writeHead(401).end();
                return;
            }
            const leadId = (JSON.parse(body) as { leadId: string }).leadId;
            byLead.set(leadId, (byLead.get(leadId) ?? 0) + 1);
            res.writeHead(200, { 'content-type': 'application/json' }).end(
                JSON.stringify({ id: `crm-${byLead.size}` }),
            );
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/leads`,
        deliveries: (leadId: string) => byLead.get(leadId) ?? 0,
        rejected: () => rejected,
        stop: () =>
            new Promise<void>((r) => {
                server.closeAllConnections();
                server.close(() => r());
            }),
    };
}
