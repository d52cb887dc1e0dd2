import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';

import { acceptLead } from '../../shared/app/acceptLead';
import { decideLead } from '../../shared/app/decideLead';
import { reportStalledDeliveries } from '../../shared/app/reportStalledDeliveries';
import { parseMarketplaceCallback, parsePipelineConfig } from '../../shared/domain/index';
import { pipelineMetrics } from '../../shared/telemetry/pipelineMetrics';
import { RecordingPublisher } from '../fakes/fakes';
import { InMemoryLeadRepository } from '../fakes/InMemoryLeadRepository';
import { fixture } from '../functions/helpers';
import { allAttributeText, inMemoryTelemetry } from './inMemoryTelemetry';

const t = inMemoryTelemetry();

afterAll(() => t.telemetry.shutdown());

function metric(all: MetricData[], name: string): MetricData {
    const found = all.find((m) => m.descriptor.name === name);
    if (!found) throw new Error(`metric ${name} not exported; got ${all.map((m) => m.descriptor.name).join(', ')}`);
    return found;
}

describe('pipeline metrics with the SDK registered', () => {
    it('when the pipeline records a lead end to end, then every instrument is exported with its name and attributes', async () => {
        const m = pipelineMetrics();
        m.leadsReceived.add(1, { channel: 'https', source: 'AppSource', action: 'contact-me' });
        m.leadsReceived.add(1, { channel: 'table', source: 'AzureMarketplace', action: 'install' });
        m.leadOutcomes.add(1, { outcome: 'qualified' });
        m.leadScore.record(72, { grade: 'A' });
        m.deliveryAttempts.add(2, { target: 'dynamics' });
        m.deliveries.add(1, { target: 'dynamics', outcome: 'delivered' });
        m.deliveries.add(1, { target: 'teams', outcome: 'failed' });
        m.endToEndLatency.record(1840, { outcome: 'qualified' });

        const all = await t.metrics();
        const received = metric(all, 'leads.received');
        expect(received.dataPointType).toBe(DataPointType.SUM);
        expect(received.dataPoints.map((p) => [p.attributes, p.value])).toEqual(
            expect.arrayContaining([
                [{ channel: 'https', source: 'AppSource', action: 'contact-me' }, 1],
                [{ channel: 'table', source: 'AzureMarketplace', action: 'install' }, 1],
            ]),
        );
        expect(metric(all, 'leads.outcome').dataPoints[0]?.attributes).toEqual({ outcome: 'qualified' });
        const score = metric(all, 'leads.score');
        expect(score.dataPointType).toBe(DataPointType.HISTOGRAM);
        expect(score.dataPoints[0]?.attributes).toEqual({ grade: 'A' });
        expect(metric(all, 'delivery.attempts').dataPoints[0]?.value).toBe(2);
        expect(metric(all, 'deliveries').dataPoints.map((p) => p.attributes)).toEqual(
            expect.arrayContaining([
                { target: 'dynamics', outcome: 'delivered' },
                { target: 'teams', outcome: 'failed' },
            ]),
        );
        const latency = metric(all, 'leads.end_to_end_latency');
        expect(latency.descriptor.unit).toBe('ms');
        expect(latency.dataPoints[0]?.value).toMatchObject({ count: 1, sum: 1840 });
    });

    it('when personal data is passed as a metric attribute, then it never reaches the exporter', async () => {
        pipelineMetrics().leadsReceived.add(1, {
            channel: 'https',
            email: 'jane@contoso.com',
            firstName: 'Jane',
            caller: '+1 425 555 0100',
        });
        const all = await t.metrics();
        expect(allAttributeText([], all)).not.toMatch(/jane|contoso|425/i);
        expect(metric(all, 'leads.received').dataPoints.map((p) => p.attributes)).toContainEqual({ channel: 'https' });
    });
});

describe('leads.received from the intake', () => {
    it('when a new lead is accepted, then leads.received carries its channel, source and action (the workbook charts by source and action)', async () => {
        t.reset();
        const lead = parseMarketplaceCallback(fixture('https-pascal-campaign.json'), {
            receivedAt: '2026-11-21T06:00:00.000Z',
        });
        const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
        await acceptLead(
            {
                leads: new InMemoryLeadRepository(),
                publisher: new RecordingPublisher(),
                logger,
                now: () => new Date('2026-11-21T06:00:00.000Z'),
                traceCarrier: () => ({}),
            },
            lead,
            new TextEncoder().encode('{}'),
        );
        const points = metric(await t.metrics(), 'leads.received').dataPoints.map((p) => p.attributes);
        expect(points).toContainEqual({ channel: 'https', source: lead.source.kind, action: lead.action.meaning });
        // The workbook's "by source and action" chart reads exactly these dimension names.
        const workbook = readFileSync(join(__dirname, '../../infra/app/workbook.json'), 'utf8');
        expect(workbook).toContain('customDimensions.source');
        expect(workbook).toContain('customDimensions.action');
    });

    it('when a sweep finds leads stalled in delivery, then leads.stalled records how many (what the stalled-deliveries alert sums)', async () => {
        t.reset();
        const leads = new InMemoryLeadRepository();
        for (const email of ['a@contoso.com', 'b@contoso.com']) {
            const lead = parseMarketplaceCallback(JSON.stringify({ userDetails: { email }, actionCode: 'INS' }), {
                receivedAt: '2026-11-21T06:00:00.000Z',
            });
            await leads.create({ leadId: lead.leadKey, lead, raw: new Uint8Array(), now: new Date(lead.receivedAt) });
            const ref = { leadId: lead.leadKey, receivedAt: lead.receivedAt };
            await leads.setStatus(ref, 'delivering', { at: '2026-11-21T06:00:01.000Z', kind: 'test' });
        }
        const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
        const now = () => new Date('2026-11-21T08:00:00.000Z');

        const count = await reportStalledDeliveries({ leads, now, delivery: { deadlineMinutes: 60 }, logger }, 7);

        expect(count).toBe(2);
        const stalled = metric(await t.metrics(), 'leads.stalled');
        expect(stalled.dataPointType).toBe(DataPointType.HISTOGRAM);
        expect(stalled.dataPoints[0]?.value).toMatchObject({ count: 1, sum: 2 });
        const alerts = readFileSync(join(__dirname, '../../infra/app/alerts.bicep'), 'utf8');
        expect(alerts).toMatch(/name == "leads\.stalled" \| summarize stalled = sum\(valueSum\)/);
    });

    it('when a blank lead ({}) is decided, then leads.outcome counts it with outcome blank (what a blank-lead alert sums)', async () => {
        t.reset();
        const leads = new InMemoryLeadRepository();
        const lead = parseMarketplaceCallback('{}', { receivedAt: '2026-11-21T06:00:00.000Z' });
        await leads.create({ leadId: lead.leadKey, lead, raw: new Uint8Array(), now: new Date(lead.receivedAt) });
        const config = parsePipelineConfig(
            JSON.parse(readFileSync(join(__dirname, '../../config/pipeline.json'), 'utf8')),
        );
        const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };

        const plan = await decideLead(
            { leads, config, enabledTargets: new Set(['leadWebhook']), logger },
            lead.leadKey,
            new Date('2026-11-21T06:00:01.000Z'),
            'lead-run',
        );

        expect(plan).toMatchObject({ outcome: 'blank', finalStatus: 'blank', targets: [] });
        expect((await leads.get(lead.leadKey))?.status).toBe('blank');
        const outcomes = metric(await t.metrics(), 'leads.outcome');
        expect(outcomes.dataPoints.map((p) => [p.attributes, p.value])).toContainEqual([{ outcome: 'blank' }, 1]);
    });
});
