/**
 * The pipeline's instruments, written against the OpenTelemetry API only. Without an SDK registered (no
 * `APPLICATIONINSIGHTS_CONNECTION_STRING`, or in unit tests) every call is a cheap no-op. Attributes carry ids,
 * enums and numbers only: never email, phone, names or free text.
 */
import {
    type Attributes,
    type Context,
    context,
    metrics,
    propagation,
    type Span,
    SpanKind,
    SpanStatusCode,
    trace,
} from '@opentelemetry/api';

export const instrumentationName = 'marketplace-lead-pipeline';

const tracer = () => trace.getTracer(instrumentationName);
const meter = () => metrics.getMeter(instrumentationName);

/** Runs `fn` in a span; records an exception and an error status when it throws, then rethrows. */
export async function withSpan<T>(
    name: string,
    attributes: Attributes,
    fn: (span: Span) => Promise<T>,
    options: { kind?: SpanKind; parent?: Context } = {},
): Promise<T> {
    const parent = options.parent ?? context.active();
    return tracer().startActiveSpan(
        name,
        { kind: options.kind ?? SpanKind.INTERNAL, attributes },
        parent,
        async (span) => {
            try {
                const result = await fn(span);
                span.setStatus({ code: SpanStatusCode.OK });
                return result;
            } catch (err) {
                const error = err instanceof Error ? err : new Error(String(err));
                span.recordException({ name: error.name, message: error.message });
                span.setStatus({ code: SpanStatusCode.ERROR, message: error.name });
                throw err;
            } finally {
                span.end();
            }
        },
    );
}

/** W3C trace context of the active span, for Service Bus application properties and orchestration inputs. */
export function currentTraceCarrier(): Record<string, string> {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    return carrier;
}

/** The context carried by `carrier` (e.g. a message's application properties), to parent the next span. */
export function contextFromCarrier(carrier: Record<string, unknown> | undefined): Context {
    const strings: Record<string, string> = {};
    for (const [key, value] of Object.entries(carrier ?? {})) {
        if (typeof value === 'string') strings[key] = value;
    }
    return propagation.extract(context.active(), strings);
}

export { SpanKind };

let instruments: ReturnType<typeof createInstruments> | undefined;

function createInstruments() {
    const m = meter();
    return {
        leadsReceived: m.createCounter('leads.received', { description: 'Leads accepted by the intake' }),
        leadOutcomes: m.createCounter('leads.outcome', { description: 'Qualification outcomes' }),
        leadScore: m.createHistogram('leads.score', { description: 'Lead score points' }),
        deliveries: m.createCounter('deliveries', { description: 'Deliveries per target and outcome' }),
        deliveryAttempts: m.createCounter('delivery.attempts', { description: 'Delivery attempts per target' }),
        endToEndLatency: m.createHistogram('leads.end_to_end_latency', {
            description: 'From intake to the last delivery outcome',
            unit: 'ms',
        }),
        stalledLeads: m.createHistogram('leads.stalled', {
            description: 'Leads left delivering by a run that is gone, as counted by each sweep',
        }),
        hoursSinceLastLead: m.createHistogram('leads.hours_since_last_lead', {
            description: 'Hours since the newest stored lead (or since monitoring began), as measured by each sweep',
            unit: 'h',
        }),
    };
}

/** Lazily created so that an SDK registered at start-up is the one the instruments bind to. */
export function pipelineMetrics(): ReturnType<typeof createInstruments> {
    instruments ??= createInstruments();
    return instruments;
}
