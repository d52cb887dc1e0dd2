import fc from 'fast-check';

import {
    deadLetterOf,
    parseEntityPath,
    storageQueueName,
    subscriptionPath,
} from '../../../local/serviceBus/entityPath';

const validQueueName = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;

test('when a trigger names a queue dead-letter path, then it parses as that queue’s dead-letter queue', () => {
    expect(parseEntityPath('lead-events/$DeadLetterQueue')).toEqual({
        path: 'lead-events/$deadletterqueue',
        entity: 'lead-events',
        deadLetter: true,
    });
});

test('when a path names a subscription (or its dead-letter queue), then topic and subscription are recognised', () => {
    expect(parseEntityPath('orders/subscriptions/audit')).toEqual(subscriptionPath('orders', 'audit'));
    expect(parseEntityPath('orders/Subscriptions/audit/$deadletterqueue')).toEqual({
        path: 'orders/Subscriptions/audit/$deadletterqueue',
        entity: 'orders',
        subscription: 'audit',
        deadLetter: true,
    });
    expect(deadLetterOf(subscriptionPath('orders', 'audit')).path).toBe('orders/Subscriptions/audit/$deadletterqueue');
});

test('when a path has an unexpected shape, then parsing fails', () => {
    expect(() => parseEntityPath('a/b')).toThrow(/Not a Service Bus entity path/);
    expect(() => parseEntityPath('')).toThrow();
});

test('when any entity path is mapped to a storage queue, then the name is valid, stable and case-insensitive', () => {
    fc.assert(
        fc.property(fc.string({ maxLength: 260 }), (path) => {
            const name = storageQueueName(path);
            expect(name).toMatch(validQueueName);
            expect(storageQueueName(path.toUpperCase())).toBe(storageQueueName(path.toLowerCase()));
        }),
    );
    expect(storageQueueName('lead-events')).toBe(storageQueueName('lead-events'));
    expect(storageQueueName('a/$deadletterqueue')).not.toBe(storageQueueName('a-deadletterqueue'));
});
