import type { ExportResult } from '@opentelemetry/core';
import type {
    AggregationOption,
    AggregationTemporality,
    InstrumentType,
    MetricData,
    PushMetricExporter,
    ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

import { sanitizeAttributes } from './personalData';

function sanitizeMetric(metric: MetricData): MetricData {
    let changed = false;
    const dataPoints = metric.dataPoints.map((point) => {
        const { attributes } = sanitizeAttributes(point.attributes);
        if (attributes === point.attributes) return point;
        changed = true;
        return { ...point, attributes };
    });
    return changed ? ({ ...metric, dataPoints } as MetricData) : metric;
}

/** Drops personal data from data-point attributes before the real exporter sees them. */
export class SanitizingMetricExporter implements PushMetricExporter {
    /** Temporality and aggregation are the inner exporter's choice (Azure Monitor wants deltas). */
    readonly selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;
    readonly selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;

    constructor(private readonly inner: PushMetricExporter) {
        this.selectAggregationTemporality = inner.selectAggregationTemporality?.bind(inner);
        this.selectAggregation = inner.selectAggregation?.bind(inner);
    }

    export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
        const scopeMetrics = metrics.scopeMetrics.map((scope) => ({
            ...scope,
            metrics: scope.metrics.map(sanitizeMetric),
        }));
        this.inner.export({ ...metrics, scopeMetrics }, resultCallback);
    }

    forceFlush(): Promise<void> {
        return this.inner.forceFlush();
    }

    shutdown(): Promise<void> {
        return this.inner.shutdown();
    }
}
