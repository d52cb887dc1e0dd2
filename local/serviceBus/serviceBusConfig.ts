import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Settings of one queue or subscription (the subset of Service Bus entity properties the stand-in honours). */
export interface EntitySettings {
    maxDeliveryCount: number;
    lockDurationSeconds: number;
    requiresDuplicateDetection: boolean;
    duplicateDetectionWindowSeconds: number;
    /** Default time to live of messages that set none; unset = never expire. */
    defaultMessageTimeToLiveSeconds?: number;
    deadLetteringOnMessageExpiration: boolean;
}

export interface ServiceBusConfig {
    queues: Record<string, Partial<EntitySettings>>;
    topics: Record<
        string,
        Partial<EntitySettings> & { subscriptions?: string[] | Record<string, Partial<EntitySettings>> }
    >;
}

/**
 * Azure's defaults for a new queue or topic (Microsoft.ServiceBus namespaces/queues, API 2022-10-01-preview):
 * `maxDeliveryCount` 10, `lockDuration` PT1M, `requiresDuplicateDetection` false, `duplicateDetectionHistoryTimeWindow`
 * PT10M, `deadLetteringOnMessageExpiration` false. Duplicate detection is opt-in, per entity, in local.servicebus.json.
 */
export const defaultEntitySettings: EntitySettings = {
    maxDeliveryCount: 10,
    lockDurationSeconds: 60,
    requiresDuplicateDetection: false,
    duplicateDetectionWindowSeconds: 600,
    deadLetteringOnMessageExpiration: false,
};

export const configFileName = 'local.servicebus.json';
export const configSettingName = 'LOCAL_SERVICEBUS_CONFIG';

/** Reads `<appDir>/local.servicebus.json` and the `LOCAL_SERVICEBUS_CONFIG` setting (JSON); the setting wins per property. */
export function loadServiceBusConfig(appDir: string, settingValue: string | undefined): ServiceBusConfig {
    const file = join(appDir, configFileName);
    const fromFile = existsSync(file) ? parseConfig(readFileSync(file, 'utf8'), file) : emptyConfig();
    const fromSetting = settingValue?.trim() ? parseConfig(settingValue, configSettingName) : emptyConfig();
    // Service Bus entity names are case-insensitive, so entries merge by lower-cased name, property by property.
    return {
        queues: mergeEntities(lowerKeys(fromFile.queues), lowerKeys(fromSetting.queues)),
        topics: mergeEntities(lowerKeys(fromFile.topics), lowerKeys(fromSetting.topics)),
    };
}

function mergeEntities<T extends object>(base: Record<string, T>, over: Record<string, T>): Record<string, T> {
    const merged: Record<string, T> = { ...base };
    for (const [name, settings] of Object.entries(over)) merged[name] = { ...base[name], ...settings };
    return merged;
}

function lowerKeys<T>(record: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(record).map(([name, value]) => [name.toLowerCase(), value]));
}

function emptyConfig(): ServiceBusConfig {
    return { queues: {}, topics: {} };
}

function parseConfig(text: string, source: string): ServiceBusConfig {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error(`${source} must be a JSON object with "queues" and/or "topics"`);
    }
    const { queues = {}, topics = {} } = parsed as Partial<ServiceBusConfig>;
    for (const [name, settings] of [...Object.entries(queues), ...Object.entries(topics)]) {
        validateSettings(`${source}: ${name}`, settings);
    }
    return { queues, topics };
}

const numericKeys = [
    'maxDeliveryCount',
    'lockDurationSeconds',
    'duplicateDetectionWindowSeconds',
    'defaultMessageTimeToLiveSeconds',
] as const;

function validateSettings(where: string, settings: unknown): void {
    if (typeof settings !== 'object' || settings === null) throw new Error(`${where} must be an object`);
    const record = settings as Record<string, unknown>;
    for (const key of numericKeys) {
        const value = record[key];
        if (value !== undefined && (typeof value !== 'number' || !(value > 0))) {
            throw new Error(`${where}: ${key} must be a positive number`);
        }
    }
}

/** Settings for a queue, or for a subscription (topic-level settings apply to its subscriptions unless overridden). */
export function entitySettings(config: ServiceBusConfig, entity: string, subscription?: string): EntitySettings {
    const lower = entity.toLowerCase();
    if (subscription === undefined) {
        const queue = Object.entries(config.queues).find(([name]) => name.toLowerCase() === lower)?.[1];
        return { ...defaultEntitySettings, ...queue };
    }
    const topic = Object.entries(config.topics).find(([name]) => name.toLowerCase() === lower)?.[1];
    const { subscriptions, ...topicSettings } = topic ?? {};
    const subSettings =
        subscriptions && !Array.isArray(subscriptions)
            ? Object.entries(subscriptions).find(([name]) => name.toLowerCase() === subscription.toLowerCase())?.[1]
            : undefined;
    return { ...defaultEntitySettings, ...topicSettings, ...subSettings };
}

/** Duplicate detection is a property of the entity a sender addresses: the queue or the topic. */
export function sendSettings(config: ServiceBusConfig, entity: string): EntitySettings {
    const lower = entity.toLowerCase();
    const topic = Object.entries(config.topics).find(([name]) => name.toLowerCase() === lower)?.[1];
    if (topic) {
        const { subscriptions: _subscriptions, ...topicSettings } = topic;
        return { ...defaultEntitySettings, ...topicSettings };
    }
    return entitySettings(config, entity);
}

/** Subscriptions declared in the config for a topic. */
export function declaredSubscriptions(config: ServiceBusConfig, topic: string): string[] {
    const found = Object.entries(config.topics).find(([name]) => name.toLowerCase() === topic.toLowerCase())?.[1];
    const subs = found?.subscriptions;
    if (!subs) return [];
    return Array.isArray(subs) ? subs : Object.keys(subs);
}
