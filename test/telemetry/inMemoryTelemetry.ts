import { AggregationTemporality, InMemoryMetricExporter, type MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

import { setupTelemetry, type Telemetry } from '../../shared/telemetry/setupTelemetry';

/** The real setup (sanitising exporters, batch processor, periodic reader) with in-memory exporters behind it. */
export function inMemoryTelemetry(): {
    telemetry: Telemetry;
    spans: () => Promise<ReadableSpan[]>;
    metrics: () => Promise<MetricData[]>;
    reset: () => void;
} {
    const spanExporter = new InMemorySpanExporter();
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const telemetry = setupTelemetry(
        {
            connectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
            metricExportIntervalMs: 3_600_000,
        },
        { spanExporter, metricExporter },
    );
    return {
        telemetry,
        spans: async () => {
            await telemetry.flush();
            return spanExporter.getFinishedSpans();
        },
        metrics: async () => {
            await telemetry.flush();
            const batches = metricExporter.getMetrics();
            // Cumulative temporality: the last collection holds every series recorded so far.
            return batches.at(-1)?.scopeMetrics.flatMap((s) => s.metrics) ?? [];
        },
        reset: () => {
            spanExporter.reset();
            metricExporter.reset();
        },
    };
}

/** Every attribute value a span or data point carries, stringified, for "no personal data anywhere" checks. */
export function allAttributeText(spans: ReadableSpan[], metrics: MetricData[]): string {
    const parts: unknown[] = [];
    for (const s of spans) {
        parts.push(
            s.name,
            s.attributes,
            s.status,
            s.events.map((e) => [e.name, e.attributes]),
        );
    }
    for (const m of metrics)
        parts.push(
            m.descriptor.name,
            m.dataPoints.map((p) => p.attributes),
        );
    return JSON.stringify(parts);
}
