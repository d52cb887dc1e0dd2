import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { verifyWebhookSignature } from '../../../shared/adapters/webhook/signWebhook';

export interface ReceivedDelivery {
    leadId: string;
    email: string | undefined;
    attempt: number;
    idempotencyKey: string | undefined;
    signatureValid: boolean;
    at: number;
    answered: number;
    /** The payload as sent. */
    body: string;
}

/** What to answer for a request: status (+headers), or 'hang' (never answer). */
export type Script = (
    d: ReceivedDelivery,
    nth: number,
) => { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A receiver for the signed webhook target on a loopback port: verifies every signature, records every request, and
 * answers as the test's script says for the lead's email (default 200).
 */
export async function startWebhookReceiver(secret: string) {
    const deliveries: ReceivedDelivery[] = [];
    const scripts = new Map<string, Script>();
    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
            let parsed: { leadId?: string; attempt?: number; lead?: { contact?: { email?: string } } } = {};
            try {
                parsed = JSON.parse(body) as typeof parsed;
            } catch {
                // recorded with an empty lead id
            }
            const d: ReceivedDelivery = {
                leadId: parsed.leadId ?? '',
                email: parsed.lead?.contact?.email,
                attempt: parsed.attempt ?? 0,
                idempotencyKey: req.headers['idempotency-key'] as string | undefined,
                signatureValid: verifyWebhookSignature(
                    secret,
                    body,
                    req.headers['x-lead-signature'] as string,
                    new Date(),
                ),
                at: Date.now(),
                answered: 0,
                body,
            };
            deliveries.push(d);
            const script = d.email === undefined ? undefined : scripts.get(d.email);
            const nth = deliveries.filter((x) => x.email === d.email).length;
            const answer = script?.(d, nth) ?? { status: 200 };
            if (answer === 'hang') return;
            d.answered = answer.status;
            res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
            res.end(JSON.stringify({ id: `rcv-${deliveries.length}` }));
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        deliveries,
        scripts,
        forLead: (leadId: string) => deliveries.filter((d) => d.leadId === leadId),
        stop: async () => {
            server.closeAllConnections();
            await new Promise((r) => server.close(r));
        },
    };
}
