// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { createLeadEventDeadLetter } from '../../functions/leadEventDeadLetter';
import { createLeadEventStarter } from '../../functions/leadEventStarter';
import { createReplayParkedLead } from '../../functions/replayParkedLead';
import { ValidationError } from '../../shared/domain/errors';
import { FakeStarter, InMemoryParked, RecordingPublisher, testContext } from '../fakes/fakes';
import { post } from './helpers';

const event = {
    leadId: 'lk-0123456789abcdef0123456789abcdef01234567',
    channel: 'https',
    receivedAt: '2026-11-21T06:00:00Z',
};

describe('leadEventStarter', () => {
    it('when a lead event arrives then the lead pipeline starts with an instance id derived from the lead id', async () => {
        const starter = new FakeStarter();
        const handler = createLeadEventStarter(() => starter);

        await handler(event, testContext('leadEventStarter', { messageId: event.leadId }).context);

        const instance = starter.instances.get(`lead-${event.leadId}`);
        expect(instance?.name).toBe('leadPipeline');
        expect(instance?.input).toMatchObject({ leadId: event.leadId, receivedAt: event.receivedAt });
    });

    it('when the same event is delivered again then no second instance starts', async () => {
        const starter = new FakeStarter();
        const startIfAbsent = jest.spyOn(starter, 'startIfAbsent');
        const handler = createLeadEventStarter(() => starter);

        await handler(event, testContext('s').context);
        await handler(JSON.stringify(event), testContext('s').context);
        await handler(new TextEncoder().encode(JSON.stringify(event)), testContext('s').context);

        expect(starter.instances.size).toBe(1);
        expect(await startIfAbsent.mock.results[1]!.value).toBe('exists');
        expect(await startIfAbsent.mock.results[2]!.value).toBe('exists');
    });

    it('when the message is not a lead event then it throws so the queue retries and finally dead-letters it', async () => {
        const handler = createLeadEventStarter(() => new FakeStarter());

        await expect(handler({ hello: 'world' }, testContext('s').context)).rejects.toBeInstanceOf(ValidationError);
        await expect(handler('not json', testContext('s').context)).rejects.toBeInstanceOf(ValidationError);
    });
});

describe('leadEventDeadLetter and replayParkedLead', () => {
    it('when a message is dead-lettered then it is parked with its reason, once', async () => {
        const parked = new InMemoryParked();
        const handler = createLeadEventDeadLetter(() => ({ parked, now: () => new Date('2026-11-21T07:00:00Z') }));
        const metadata = {
            messageId: 'm-1',
            deliveryCount: 10,
            deadLetterReason: 'MaxDeliveryCountExceeded',
            deadLetterErrorDescription: 'Message could not be consumed after 10 delivery attempts.',
            enqueuedTimeUtc: '2026-11-21T06:59:00Z',
            applicationProperties: { leadId: 'x' },
        };

        await handler({ hello: 'world' }, testContext('dl', metadata).context);
        await handler({ hello: 'world' }, testContext('dl', metadata).context);

        expect(parked.items.size).toBe(1);
        const item = [...parked.items.values()][0]!;
        expect(item).toMatchObject({ messageId: 'm-1', reason: 'MaxDeliveryCountExceeded', deliveryCount: 10 });
        expect(JSON.parse(item.body)).toEqual({ hello: 'world' });
    });

    it('when the broker gives the reason as (camel-cased) application properties then that reason is parked and not replayed', async () => {
        const parked = new InMemoryParked();
        const handler = createLeadEventDeadLetter(() => ({ parked, now: () => new Date('2026-11-21T07:00:00Z') }));

        await handler(
            'garbage',
            testContext('dl', {
                messageId: 'm-2',
                applicationProperties: {
                    deadLetterReason: 'MaxDeliveryCountExceeded',
                    deadLetterErrorDescription: 'x',
                    leadId: 'y',
                },
            }).context,
        );

        const item = [...parked.items.values()][0]!;
        expect(item.reason).toBe('MaxDeliveryCountExceeded');
        expect(item.properties).toEqual({ leadId: 'y' });
    });

    it('when a parked lead is replayed then it is sent again under a new message id', async () => {
        const parked = new InMemoryParked();
        const publisher = new RecordingPublisher();
        const now = () => new Date('2026-11-21T07:00:00Z');
        await createLeadEventDeadLetter(() => ({ parked, now }))(
            event,
            testContext('dl', { messageId: event.leadId, deadLetterReason: 'MaxDeliveryCountExceeded' }).context,
        );
        const id = [...parked.items.keys()][0]!;
        const replay = createReplayParkedLead(() => ({ parked, publisher, now }));
        const req = post('', `http://localhost/api/leads/parked/${id}/replay`);
        Object.assign(req.params, { id });

        const res = await replay(req, testContext('replay').context);
        const missing = await replay(
            Object.assign(post('', 'http://localhost/api/leads/parked/nope/replay'), {}),
            testContext('replay').context,
        );

        expect(res.status).toBe(202);
        expect(publisher.sent).toHaveLength(1);
        expect(publisher.sent[0]!.body).toEqual(event);
        expect(publisher.sent[0]!.options.messageId).toBe(`${event.leadId}:replay-1`);
        expect(publisher.sent[0]!.options.properties.replayOf).toBe(id);
        expect(parked.items.get(id)?.replayCount).toBe(1);
        expect(missing.status).toBe(404);
    });
});
