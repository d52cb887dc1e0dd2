import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';

import { reportLeadSilence, silenceWatchCheckpoint } from '../../shared/app/reportLeadSilence';
import { parseMarketplaceCallback } from '../../shared/domain/index';
import { InMemoryCheckpoints } from '../fakes/fakes';
import { InMemoryLeadRepository } from '../fakes/InMemoryLeadRepository';
import { inMemoryTelemetry } from './inMemoryTelemetry';

const t = inMemoryTelemetry();

afterAll(() => t.telemetry.shutdown());

function silence(all: MetricData[]): MetricData {
    const found = all.find((m) => m.descriptor.name === 'leads.hours_since_last_lead');
    if (!found) throw new Error(`not exported; got ${all.map((m) => m.descriptor.name).join(', ')}`);
    return found;
}

async function storeLead(leads: InMemoryLeadRepository, email: string, receivedAt: string) {
    const lead = parseMarketplaceCallback(JSON.stringify({ userDetails: { email }, actionCode: 'INS' }), {
        receivedAt,
    });
    await leads.create({ leadId: lead.leadKey, lead, raw: new Uint8Array(), now: new Date(receivedAt) });
}

const at = (iso: string) => () => new Date(iso);

describe('hours since the last lead (the lost-leads alarm)', () => {
    it('when the newest lead arrived 50 hours ago, then leads.hours_since_last_lead records 50', async () => {
        t.reset();
        const leads = new InMemoryLeadRepository();
        await storeLead(leads, 'a@contoso.com', '2026-11-10T06:00:00.000Z');
        await storeLead(leads, 'b@contoso.com', '2026-11-19T06:00:00.000Z');

        const hours = await reportLeadSilence({
            leads,
            checkpoints: new InMemoryCheckpoints(),
            now: at('2026-11-21T08:00:00.000Z'),
        });

        expect(hours).toBe(50);
        const metric = silence(await t.metrics());
        expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
        expect(metric.descriptor.unit).toBe('h');
        expect(metric.dataPoints.at(-1)?.value).toMatchObject({ count: 1, max: 50 });
    });

    it('when a quiet publisher had a lead 2 days and 1 hour ago, then the 7-day alarm threshold (168 h) is not reached', async () => {
        const leads = new InMemoryLeadRepository();
        await storeLead(leads, 'a@contoso.com', '2026-11-19T07:00:00.000Z');

        const hours = await reportLeadSilence({
            leads,
            checkpoints: new InMemoryCheckpoints(),
            now: at('2026-11-21T08:00:00.000Z'),
        });

        expect(hours).toBe(49);
        expect(hours).toBeLessThan(7 * 24);
    });

    it('when no lead was ever stored, then silence counts from the first measurement, which is kept', async () => {
        const leads = new InMemoryLeadRepository();
        const checkpoints = new InMemoryCheckpoints();

        const first = await reportLeadSilence({ leads, checkpoints, now: at('2026-11-21T08:00:00.000Z') });
        const later = await reportLeadSilence({ leads, checkpoints, now: at('2026-11-24T20:00:00.000Z') });

        expect(first).toBe(0);
        expect(later).toBe(84);
        expect(await checkpoints.get(silenceWatchCheckpoint)).toBe('2026-11-21T08:00:00.000Z');
    });

    it('when the last lead is older than 31 days, then the value is at least 744 h so every N from 1 to 30 alarms', async () => {
        const leads = new InMemoryLeadRepository();
        await storeLead(leads, 'a@contoso.com', '2026-08-01T00:00:00.000Z');
        const checkpoints = new InMemoryCheckpoints();
        await checkpoints.set(silenceWatchCheckpoint, '2026-07-01T00:00:00.000Z');

        const hours = await reportLeadSilence({ leads, checkpoints, now: at('2026-11-21T08:00:00.000Z') });

        expect(hours).toBe(31 * 24);
        expect(hours).toBeGreaterThan(30 * 24);
    });
});
