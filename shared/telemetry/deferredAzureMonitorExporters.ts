/**
 * Azure Monitor exporters that load `@azure/monitor-opentelemetry-exporter` on the first export instead of at
 * start-up. The exporter module is the largest part of telemetry's load cost (bench/appLoad.bench.ts); spans are
 * batched for seconds and metrics for a minute, so deferring it takes it off the cold start of the first invocation.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading on first use is the point of this module */
import type { TokenCredential } from '@azure/identity';
import type * as AzureMonitor from '@azure/monitor-opentelemetry-exporter';
import type { ExportResult } from '@opentelemetry/core';
import {
    AggregationTemporality,
    InstrumentType,
    type PushMetricExporter,
    type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface AzureMonitorOptions {
    connectionString: string;
    credential?: TokenCredential;
}

/** Options resolved at the first export too: building the credential loads @azure/identity. */
export type AzureMonitorOptionsFactory = () => AzureMonitorOptions;

function load(): typeof AzureMonitor {
    return require('@azure/monitor-opentelemetry-exporter') as typeof AzureMonitor;
}

export class DeferredAzureMonitorTraceExporter implements SpanExporter {
    private inner: SpanExporter | undefined;

    constructor(private readonly options: AzureMonitorOptionsFactory) {}

    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
        this.inner ??= new (load().AzureMonitorTraceExporter)(this.options());
        this.inner.export(spans, resultCallback);
    }

    shutdown(): Promise<void> {
        return this.inner?.shutdown() ?? Promise.resolve();
    }

    forceFlush(): Promise<void> {
        return this.inner?.forceFlush?.() ?? Promise.resolve();
    }
}

export class DeferredAzureMonitorMetricExporter implements PushMetricExporter {
    private inner: PushMetricExporter | undefined;

    constructor(private readonly options: AzureMonitorOptionsFactory) {}

    export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
        this.inner ??= new (load().AzureMonitorMetricExporter)(this.options());
        this.inner.export(metrics, resultCallback);
    }

    /** The reader asks before the first export; same answer as AzureMonitorMetricExporter 1.0.0-beta.40 gives. */
    selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
        return instrumentType === InstrumentType.UP_DOWN_COUNTER ||
            instrumentType === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
            ? AggregationTemporality.CUMULATIVE
            : AggregationTemporality.DELTA;
    }

    forceFlush(): Promise<void> {
        return this.inner?.forceFlush() ?? Promise.resolve();
    }

    shutdown(): Promise<void> {
        return this.inner?.shutdown() ?? Promise.resolve();
    }
}
