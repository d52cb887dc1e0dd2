import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { contextLogger } from '../shared/app/contextLogger';
import { errorResponse as error } from '../shared/app/errorResponse';
import { readBoundedBody } from '../shared/app/readBoundedBody';
import { receiveCallback, type ReceiveCallbackDeps } from '../shared/app/receiveCallback';
import { getIntakeDeps } from '../shared/composition';
import { ConfigError } from '../shared/domain/index';
import { functionNames } from '../shared/names';
import { currentTraceCarrier, SpanKind, withSpan } from '../shared/telemetry/withSpan';

export type WebhookDeps = Omit<ReceiveCallbackDeps, 'logger' | 'traceCarrier'> & { maxBodyBytes: number };

/**
 * POST /api/marketplace/leads (the URL pasted into Partner Center, with `?code=`). 202 `{ leadId }` once the lead is
 * stored and enqueued; 400 for a body that is not a JSON object (stored anyway); 413 past the size limit; 503 only
 * when our own storage or queue is unavailable, so the marketplace may retry.
 */
export function createMarketplaceLeadWebhook(deps: () => WebhookDeps) {
    return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
        const logger = contextLogger(context);
        return withSpan(
            'marketplace.callback',
            { 'faas.invocation_id': context.invocationId },
            async (span) => {
                let d: WebhookDeps;
                try {
                    d = deps();
                } catch (err) {
                    // Names of settings and what is wrong with them, never values.
                    const problems =
                        err instanceof ConfigError ? err.problems.map((p) => `${p.path}: ${p.message}`) : [];
                    logger.error('Intake is not configured', {
                        error: err instanceof Error ? err.name : typeof err,
                        problems: problems.join('; '),
                    });
                    return error(503, 'unavailable', 'The lead intake is not available; retry later.');
                }
                const raw = await readBoundedBody(request.body, request.headers.get('content-length'), d.maxBodyBytes);
                if (raw === 'too-large') {
                    logger.warn('Callback body over the size limit', { maxBytes: d.maxBodyBytes });
                    return error(413, 'too-large', `The body is larger than ${d.maxBodyBytes} bytes.`);
                }
                try {
                    const result = await receiveCallback({ ...d, logger, traceCarrier: currentTraceCarrier }, raw);
                    if (result.kind === 'invalid') {
                        span.setAttribute('lead.invalid_reason', result.reason);
                        return error(400, 'invalid-payload', result.message, { payloadId: result.payloadId });
                    }
                    span.setAttribute('lead.id', result.leadId);
                    span.setAttribute('lead.duplicate', result.duplicate);
                    return { status: 202, jsonBody: { leadId: result.leadId } };
                } catch (err) {
                    logger.error('Lead could not be stored or enqueued', {
                        error: err instanceof Error ? err.name : typeof err,
                    });
                    return {
                        ...error(503, 'unavailable', 'The lead could not be stored; retry later.'),
                        headers: { 'Retry-After': '30' },
                    };
                }
            },
            { kind: SpanKind.SERVER },
        );
    };
}

// The intake's own dependencies: storage and the queue, never the pipeline's rules or targets.
export const marketplaceLeadWebhook = createMarketplaceLeadWebhook(getIntakeDeps);

app.http(functionNames.marketplaceLeadWebhook, {
    methods: ['POST'],
    authLevel: 'function',
    route: 'api/marketplace/leads',
    handler: marketplaceLeadWebhook,
});
