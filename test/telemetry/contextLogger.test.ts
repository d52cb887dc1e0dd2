import { InvocationContext } from '@azure/functions';

import { contextLogger } from '../../shared/app/contextLogger';
import { withSpan } from '../../shared/telemetry/withSpan';
import { inMemoryTelemetry } from './inMemoryTelemetry';

const t = inMemoryTelemetry();

afterEach(() => t.reset());
afterAll(() => t.telemetry.shutdown());

function invocation() {
    const calls: unknown[][] = [];
    const context = new InvocationContext({
        functionName: 'f',
        logHandler: (level, ...args) => calls.push([level, ...args]),
    });
    return { context, calls };
}

describe('contextLogger', () => {
    it('when a line has fields then the host gets them as a separate argument, not folded into the message', () => {
        const { context, calls } = invocation();

        contextLogger(context).warn('Delivery attempt finished', { leadId: 'lk-1', attempt: 2 });
        contextLogger(context).info('Lead stored');

        expect(calls).toEqual([
            ['warning', 'Delivery attempt finished', { leadId: 'lk-1', attempt: 2 }],
            ['information', 'Lead stored'],
        ]);
    });

    it('when it logs inside a span then the line is an event whose attributes are its fields (custom dimensions)', async () => {
        const { context } = invocation();

        await withSpan('lead.deliver', {}, () => {
            contextLogger(context).info('Delivery attempt finished', {
                leadId: 'lk-1',
                attempt: 2,
                ok: true,
                targets: ['a', 'b'],
                missing: undefined,
            });
            return Promise.resolve();
        });

        const [span] = await t.spans();
        expect(span!.events.map((e) => [e.name, e.attributes])).toEqual([
            [
                'Delivery attempt finished',
                { 'log.level': 'info', leadId: 'lk-1', attempt: 2, ok: true, targets: '["a","b"]' },
            ],
        ]);
    });

    it('when a field holds personal data then the exported event does not carry it', async () => {
        const { context } = invocation();

        await withSpan('lead.intake', {}, () => {
            contextLogger(context).info('Lead stored', { leadId: 'lk-1', email: 'jane@contoso.com' });
            return Promise.resolve();
        });

        const [span] = await t.spans();
        expect(JSON.stringify(span!.events)).not.toContain('contoso');
        expect(span!.events[0]!.attributes).toMatchObject({ leadId: 'lk-1' });
    });
});
