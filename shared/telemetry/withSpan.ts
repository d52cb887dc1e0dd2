/**
 * Spans and trace context, written against the OpenTelemetry API only. Without an SDK registered (no
 * `APPLICATIONINSIGHTS_CONNECTION_STRING`, or in unit tests) every call is a cheap no-op. Attributes carry ids,
 * enums and numbers only: never email, phone, names or free text.
 */
import {
    type Attributes,
    type Context,
    context,
    propagation,
    type Span,
    SpanKind,
    SpanStatusCode,
    trace,
} from '@opentelemetry/api';

/** The instrumentation scope of every span and metric the app records. */
export const instrumentationName = 'marketplace-lead-pipeline';

const tracer = () => trace.getTracer(instrumentationName);

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

/** Runs `fn` with `parent` as the active context, so the spans it starts continue that trace. */
export function withParent<T>(parent: Context, fn: () => Promise<T>): Promise<T> {
    return context.with(parent, fn);
}

export { SpanKind };

/** How a log line's fields travel as span-event attributes: primitives as they are, anything else as JSON. */
function eventAttributes(level: string, data: Record<string, unknown> | undefined): Attributes {
    const attributes: Attributes = { 'log.level': level };
    for (const [key, value] of Object.entries(data ?? {})) {
        if (value === undefined || value === null) continue;
        attributes[key] =
            typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
                ? value
                : JSON.stringify(value);
    }
    return attributes;
}

/**
 * Records a log line on the active span as an event whose attributes are the line's fields, so Application Insights
 * keeps them as custom dimensions of a trace in the operation (the host's own copy of the line has them only as
 * text). Outside a span, or with telemetry off, it does nothing. The exporter's personal-data filter applies.
 */
export function recordLogEvent(level: string, message: string, data?: Record<string, unknown>): void {
    trace.getActiveSpan()?.addEvent(message, eventAttributes(level, data));
}
