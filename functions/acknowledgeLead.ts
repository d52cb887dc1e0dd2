import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { MAX_TOKEN_CHARS } from '../shared/app/ackLink';
import { type AcknowledgeDeps, acknowledgeLead, type AcknowledgeResult } from '../shared/app/acknowledgeLead';
import { contextLogger } from '../shared/app/contextLogger';
import { getDeps } from '../shared/composition';
import { ackEventName, functionNames, instanceIds } from '../shared/names';

/** The page's answer: plain, no script, nothing cached, not framed (a link is a capability for one lead). */
const headers = {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
};

const page = (status: number, title: string, body: string) => ({
    status,
    headers,
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto"><h1>${title}</h1>${body}</body></html>`,
});

const answers: Record<AcknowledgeResult['outcome'], [number, string, string]> = {
    acknowledged: [200, 'Thanks: the lead is yours', '<p>The timer has stopped. Follow the lead up in your CRM.</p>'],
    'already-acknowledged': [200, 'Already acknowledged', '<p>This lead was acknowledged before.</p>'],
    reassigned: [409, 'This lead went to someone else', '<p>Its time ran out and it was reassigned.</p>'],
    expired: [410, 'This link has expired', '<p>Ask your manager about the lead.</p>'],
    invalid: [404, 'Not a valid link', '<p>This link is not valid.</p>'],
    unknown: [404, 'Not a valid link', '<p>This link is not valid.</p>'],
};

/**
 * `GET /api/ack/{token}` shows one button; the button's `POST` acknowledges. A GET never changes anything, because
 * mail and chat link scanners open links before people do. No sign-in: the signed, expiring token is the
 * authorization for exactly this one action on one lead.
 */
export function createAcknowledgeLead(deps: (request: HttpRequest, context: InvocationContext) => AcknowledgeDeps) {
    return async (request: HttpRequest, context: InvocationContext) => {
        const token = request.params.token ?? '';
        if (token.length > MAX_TOKEN_CHARS) return page(...answers.invalid);
        if (request.method === 'GET') {
            return page(
                200,
                'Acknowledge this lead',
                '<p>Press the button to tell the team you are following this lead up. It stops the timer.</p><form method="post"><button type="submit" style="font-size:1.2rem;padding:.6rem 1.2rem">Acknowledge</button></form>',
            );
        }
        const result = await acknowledgeLead(deps(request, context), token);
        return page(...answers[result.outcome]);
    };
}

export const acknowledgeLeadHandler = createAcknowledgeLead((_request, context) => {
    const d = getDeps();
    const client = df.getClient(context);
    return {
        leads: d.leads,
        assignments: d.assignments,
        key: d.ackKey,
        now: d.now,
        logger: contextLogger(context),
        raise: async (leadId, round) => {
            try {
                await client.raiseEvent(instanceIds.leadPipeline(leadId), ackEventName, { round });
            } catch (err) {
                // The run has ended (a late click): the row already says acknowledged.
                contextLogger(context).warn('Acknowledgement not raised on the run', {
                    leadId,
                    error: err instanceof Error ? err.name : 'unknown',
                });
            }
        },
    };
});

app.http(functionNames.acknowledgeLead, {
    methods: ['GET', 'POST'],
    authLevel: 'anonymous',
    route: 'api/ack/{token}',
    extraInputs: [df.input.durableClient()],
    handler: acknowledgeLeadHandler,
});
