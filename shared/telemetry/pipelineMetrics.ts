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
        // Owner ids are the pipeline's own person ids (docs/assignment.md: ids, not names), never display names.
        assignments: m.createCounter('leads.assigned', {
            description: 'Owner assignments per queue, owner and strategy',
        }),
        clickToCrm: m.createHistogram('leads.click_to_crm', {
            description: "From the customer's click (the marketplace's time) to the first CRM record written",
            unit: 'ms',
        }),
        clickToNotification: m.createHistogram('leads.click_to_notification', {
            description: 'From the click to the first notification delivered (Teams, webhook)',
            unit: 'ms',
        }),
        clickToAck: m.createHistogram('leads.click_to_ack', {
            description: "From the click to the owner's acknowledgement",
            unit: 'ms',
        }),
        slaOutcomes: m.createCounter('leads.sla', {
            description: 'SLA outcomes per queue: met, breached (each breach), unattended',
        }),
        hoursSinceLastLead: m.createHistogram('leads.hours_since_last_lead', {
            description: 'Hours since the newest stored lead (or since monitoring began), as measured by each sweep',
            unit: 'h',
        }),
        erasures: m.createCounter('privacy.erasures', { description: 'Erasures of a person finished, by status' }),
        retentionRemoved: m.createCounter('privacy.retention.removed', {
            description: 'Items removed for being past their retention period, by kind',
        }),
    };
}

/** Lazily created so that an SDK registered at start-up is the one the instruments bind to. */
export function pipelineMetrics(): ReturnType<typeof createInstruments> {
    instruments ??= createInstruments();
    return instruments;
}
