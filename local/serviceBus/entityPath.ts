import { createHash } from 'node:crypto';

/** A Service Bus entity path as the trigger, the binding or an AMQP link names it. */
export interface EntityPath {
    /** Normalised path: `queue`, `queue/$deadletterqueue`, `topic/Subscriptions/sub`, `topic/Subscriptions/sub/$deadletterqueue`. */
    path: string;
    /** The queue, or the topic of a subscription. */
    entity: string;
    subscription?: string;
    deadLetter: boolean;
}

const deadLetterSuffix = '/$deadletterqueue';

/** Parses `queue`, `queue/$DeadLetterQueue`, `topic/subscriptions/sub[/$deadletterqueue]` (case-insensitive markers). */
export function parseEntityPath(raw: string): EntityPath {
    let rest = raw.trim().replace(/^\/+|\/+$/g, '');
    const deadLetter = rest.toLowerCase().endsWith(deadLetterSuffix);
    if (deadLetter) rest = rest.slice(0, -deadLetterSuffix.length);
    const parts = rest.split('/');
    if (parts.length === 3 && parts[1]!.toLowerCase() === 'subscriptions') {
        return subscriptionPath(parts[0]!, parts[2]!, deadLetter);
    }
    if (parts.length !== 1 || parts[0] === '') throw new Error(`Not a Service Bus entity path: ${raw}`);
    return { path: rest + (deadLetter ? deadLetterSuffix : ''), entity: rest, deadLetter };
}

export function subscriptionPath(topic: string, subscription: string, deadLetter = false): EntityPath {
    const base = `${topic}/Subscriptions/${subscription}`;
    return { path: base + (deadLetter ? deadLetterSuffix : ''), entity: topic, subscription, deadLetter };
}

export function deadLetterOf(entity: EntityPath): EntityPath {
    return entity.subscription !== undefined
        ? subscriptionPath(entity.entity, entity.subscription, true)
        : { path: entity.entity + deadLetterSuffix, entity: entity.entity, deadLetter: true };
}

/** Short stable hash of a path; Service Bus names are case-insensitive, so is the hash. */
export function pathHash(path: string): string {
    return createHash('sha256').update(path.toLowerCase()).digest('hex').slice(0, 10);
}

/**
 * Storage queue name for an entity path. Azure queue names allow only `[a-z0-9-]`, 3–63 characters and no double
 * hyphen; the readable slug keeps Azurite listings understandable, the hash keeps distinct paths distinct.
 */
export function storageQueueName(path: string): string {
    const slug = path
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40)
        .replace(/-+$/g, '');
    return `sb-${slug ? `${slug}-` : ''}${pathHash(path)}`;
}
