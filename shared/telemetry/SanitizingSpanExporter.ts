import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';

import { sanitizeAttributes } from './personalData';

function sanitizeEvent(event: TimedEvent): TimedEvent {
    if (!event.attributes) return event;
    const { attributes } = sanitizeAttributes(event.attributes);
    return attributes === event.attributes ? event : { ...event, attributes };
}

/**
 * The sanitised view of a span. It inherits from the original (so `spanContext()` and every field an exporter of
 * another SDK version reads still work) and shadows only `attributes`, `events` and the dropped-attribute count.
 */
export function sanitizeSpan(span: ReadableSpan): ReadableSpan {
    const { attributes, dropped } = sanitizeAttributes(span.attributes);
    const events = span.events.map(sanitizeEvent);
    const eventsChanged = events.some((e, i) => e !== span.events[i]);
    if (dropped === 0 && attributes === span.attributes && !eventsChanged) return span;
    return Object.create(span, {
        attributes: { value: attributes, enumerable: true },
        events: { value: events, enumerable: true },
        droppedAttributesCount: { value: span.droppedAttributesCount + dropped, enumerable: true },
    }) as ReadableSpan;
}

/** Wraps the real exporter so that nothing leaves the process with personal data in it. */
export class SanitizingSpanExporter implements SpanExporter {
    constructor(private readonly inner: SpanExporter) {}

    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
        this.inner.export(spans.map(sanitizeSpan), resultCallback);
    }

    shutdown(): Promise<void> {
        return this.inner.shutdown();
    }

    forceFlush(): Promise<void> {
        return this.inner.forceFlush?.() ?? Promise.resolve();
    }
}
