import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
    declaredSubscriptions,
    defaultEntitySettings,
    entitySettings,
    loadServiceBusConfig,
    sendSettings,
} from '../../../local/serviceBus/serviceBusConfig';

let appDir: string;
beforeEach(() => {
    appDir = mkdtempSync(join(tmpdir(), 'sb-config-'));
});
afterEach(() => rmSync(appDir, { recursive: true, force: true }));

test('when nothing is configured, then queues get the Service Bus defaults, duplicate detection off', () => {
    const config = loadServiceBusConfig(appDir, undefined);
    expect(entitySettings(config, 'anything')).toEqual(defaultEntitySettings);
    expect(defaultEntitySettings).toMatchObject({
        maxDeliveryCount: 10,
        lockDurationSeconds: 60,
        requiresDuplicateDetection: false,
        duplicateDetectionWindowSeconds: 600,
    });
});

test('when the setting configures a property of an entity the file configures, then the file keeps its others', () => {
    writeFileSync(
        join(appDir, 'local.servicebus.json'),
        JSON.stringify({ queues: { q: { requiresDuplicateDetection: true, maxDeliveryCount: 5 } } }),
    );
    const config = loadServiceBusConfig(appDir, JSON.stringify({ queues: { Q: { maxDeliveryCount: 2 } } }));
    expect(entitySettings(config, 'q')).toMatchObject({ requiresDuplicateDetection: true, maxDeliveryCount: 2 });
});

test('when the file and the setting both configure entities, then the setting wins per entity', () => {
    writeFileSync(
        join(appDir, 'local.servicebus.json'),
        JSON.stringify({ queues: { 'lead-events': { maxDeliveryCount: 5 }, other: { lockDurationSeconds: 5 } } }),
    );
    const config = loadServiceBusConfig(appDir, JSON.stringify({ queues: { 'Lead-Events': { maxDeliveryCount: 2 } } }));
    expect(entitySettings(config, 'lead-events').maxDeliveryCount).toBe(2);
    expect(entitySettings(config, 'other').lockDurationSeconds).toBe(5);
});

test('when a topic configures settings and subscriptions, then subscriptions inherit them and may override', () => {
    const config = loadServiceBusConfig(
        appDir,
        JSON.stringify({
            topics: {
                t: {
                    maxDeliveryCount: 4,
                    duplicateDetectionWindowSeconds: 60,
                    subscriptions: { a: {}, b: { maxDeliveryCount: 1 } },
                },
                u: { subscriptions: ['x', 'y'] },
            },
        }),
    );
    expect(entitySettings(config, 't', 'a').maxDeliveryCount).toBe(4);
    expect(entitySettings(config, 't', 'b').maxDeliveryCount).toBe(1);
    expect(sendSettings(config, 't').duplicateDetectionWindowSeconds).toBe(60);
    expect(declaredSubscriptions(config, 'T')).toEqual(['a', 'b']);
    expect(declaredSubscriptions(config, 'u')).toEqual(['x', 'y']);
});

test('when the config is malformed, then loading fails with a message naming the source and the key', () => {
    expect(() => loadServiceBusConfig(appDir, '{nope')).toThrow(/LOCAL_SERVICEBUS_CONFIG is not valid JSON/);
    expect(() => loadServiceBusConfig(appDir, JSON.stringify({ queues: { q: { maxDeliveryCount: 0 } } }))).toThrow(
        /q: maxDeliveryCount must be a positive number/,
    );
    writeFileSync(join(appDir, 'local.servicebus.json'), '[]');
    expect(() => loadServiceBusConfig(appDir, undefined)).toThrow(/local\.servicebus\.json must be a JSON object/);
});
