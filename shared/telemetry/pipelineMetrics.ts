/**
 * The pipeline's metrics, written against the OpenTelemetry API only: without an SDK registered every call is a
 * cheap no-op. Attributes carry enums and numbers only: never email, phone, names or free text.
 */
import { metrics } from '@opentelemetry/api';

import { instrumentationName } from './withSpan';

const meter = () => metrics.getMeter(instrumentationName);

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
