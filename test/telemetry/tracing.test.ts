import { InvocationContext, PreInvocationContext } from '@azure/functions';
import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';

import { parentToInvocation } from '../../shared/telemetry/registerTelemetryHooks';
import { contextFromCarrier, currentTraceCarrier, SpanKind, withSpan } from '../../shared/telemetry/withSpan';
import { allAttributeText, inMemoryTelemetry } from './inMemoryTelemetry';

const t = inMemoryTelemetry();

afterEach(() => t.reset());
afterAll(() => t.telemetry.shutdown());

describe('tracing with the SDK registered', () => {
    it('when spans run inside each other, then the inner span is a child of the outer one in the same trace', async () => {
        await withSpan('webhook', { leadKey: 'k-1' }, () =>
            withSpan('acceptLead', {}, () => withSpan('store', {}, () => Promise.resolve())),
        );
        const spans = await t.spans();
        const byName = new Map(spans.map((s) => [s.name, s]));
        const named = (n: string) => {
            const span = byName.get(n);
            if (!span) throw new Error(`span ${n} missing`);
            return span;
        };
        const [webhook, accept, store] = [named('webhook'), named('acceptLead'), named('store')];
        expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
        expect(accept.parentSpanContext?.spanId).toBe(webhook.spanContext().spanId);
        expect(store.parentSpanContext?.spanId).toBe(accept.spanContext().spanId);
        expect(webhook.parentSpanContext).toBeUndefined();
        expect(webhook.status.code).toBe(SpanStatusCode.OK);
    });

    it('when a lead crosses Service Bus, orchestration and an activity, then one trace follows it through carriers', async () => {
        // webhook → message application properties → starter → orchestration input → activity → CRM call
        const applicationProperties = await withSpan('marketplaceLeadWebhook', {}, () =>
            withSpan('publish lead-events', {}, () => Promise.resolve(currentTraceCarrier()), {
                kind: SpanKind.PRODUCER,
            }),
        );
        expect(applicationProperties.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

        const orchestrationInput = await withSpan(
            'leadEventStarter',
            {},
            () => Promise.resolve({ leadKey: 'k-1', trace: currentTraceCarrier() }),
            { kind: SpanKind.CONSUMER, parent: contextFromCarrier(applicationProperties) },
        );
        // The activity runs later, in another invocation: no active span, only the carrier in its input.
        await context.with(ROOT_CONTEXT, () =>
            withSpan(
                'deliverToTarget',
                { target: 'dynamics' },
                () =>
                    withSpan('POST dynamics', { 'http.request.method': 'POST' }, () => Promise.resolve(), {
                        kind: SpanKind.CLIENT,
                    }),
                { parent: contextFromCarrier(orchestrationInput.trace) },
            ),
        );

        const spans = await t.spans();
        const byName = new Map(spans.map((s) => [s.name, s]));
        expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
        expect(byName.get('leadEventStarter')!.parentSpanContext?.spanId).toBe(
            byName.get('publish lead-events')!.spanContext().spanId,
        );
        expect(byName.get('deliverToTarget')!.parentSpanContext?.spanId).toBe(
            byName.get('leadEventStarter')!.spanContext().spanId,
        );
        expect(byName.get('POST dynamics')!.kind).toBe(SpanKind.CLIENT);
        expect(byName.get('POST dynamics')!.parentSpanContext?.spanId).toBe(
            byName.get('deliverToTarget')!.spanContext().spanId,
        );
    });

    it('when the wrapped work throws, then the span records the exception and an error status, and the error escapes', async () => {
        await expect(
            withSpan('deliverToTarget', {}, () => Promise.reject(new TypeError('target rejected'))),
        ).rejects.toThrow('target rejected');
        const [span] = await t.spans();
        expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'TypeError' });
        const exception = span!.events.find((e) => e.name === 'exception');
        expect(exception?.attributes?.['exception.type']).toBe('TypeError');
        expect(exception?.attributes?.['exception.message']).toBe('target rejected');
    });

    it('when code records personal data on a span or in an error, then none of it is exported', async () => {
        await expect(
            withSpan('deliverToTarget', { email: 'jane@contoso.com', leadKey: 'k-1' }, (span) => {
                span.setAttribute('contact.firstName', 'Jane');
                span.setAttribute('crm.note', 'call +1 425 555 0100');
                span.addEvent('lookup', { 'lookup.key': 'jane@contoso.com', 'lookup.hits': 1 });
                return Promise.reject(new Error('Duplicate contact jane@contoso.com'));
            }),
        ).rejects.toThrow();
        const spans = await t.spans();
        const text = allAttributeText(spans, []);
        expect(text).not.toMatch(/jane|contoso|425/i);
        expect(spans[0]!.attributes).toEqual({ leadKey: 'k-1' });
        expect(spans[0]!.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    });

    it('when the host passes a traceparent, then the handler runs inside it so worker spans join the host trace', async () => {
        const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
        const hostSpanId = '00f067aa0ba902b7';
        const invocationContext = new InvocationContext({
            functionName: 'leadEventStarter',
            traceContext: { traceParent: `00-${traceId}-${hostSpanId}-01`, traceState: '', attributes: {} },
        });
        const hook = new PreInvocationContext({
            invocationContext,
            functionCallback: () => withSpan('leadEventStarter', {}, () => Promise.resolve(trace.getActiveSpan())),
        });
        parentToInvocation(hook);
        await hook.functionHandler({}, invocationContext);
        const [span] = await t.spans();
        expect(span!.spanContext().traceId).toBe(traceId);
        expect(span!.parentSpanContext?.spanId).toBe(hostSpanId);
    });
});
