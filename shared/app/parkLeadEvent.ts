import { createHash } from 'node:crypto';

import type { Logger } from '../ports/Logger';
import type { ParkedLeadStore } from '../ports/ParkedLeadStore';

export interface DeadLetteredMessage {
    body: unknown;
    messageId?: string;
    deadLetterReason?: string;
    deadLetterErrorDescription?: string;
    deliveryCount?: number;
    enqueuedTimeUtc?: string;
    applicationProperties?: Record<string, unknown>;
}

export interface ParkDeps {
    parked: ParkedLeadStore;
    logger: Logger;
    now(): Date;
}

/**
 * Records a dead-lettered lead event as a parked lead. The id is derived from the message id and enqueue time, so a
 * redelivered dead-letter message parks once.
 */
export async function parkLeadEvent(deps: ParkDeps, message: DeadLetteredMessage): Promise<string> {
    const messageId = message.messageId ?? 'unknown';
    const body = typeof message.body === 'string' ? message.body : (JSON.stringify(message.body ?? null) ?? 'null');
    const id = `pk${createHash('sha256')
        .update(`${messageId}\u001f${message.enqueuedTimeUtc ?? ''}\u001f${body}`)
        .digest('hex')
        .slice(0, 30)}`;
    const properties: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(message.applicationProperties ?? {})) {
        // The dead-letter reason is kept as its own field; a replay must not carry it back to the queue.
        if (/^deadLetter/iu.test(key)) continue;
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
            properties[key] = value;
    }
    const replayOf = typeof properties.replayOf === 'string' ? properties.replayOf : undefined;
    await deps.parked.park({
        id,
        messageId,
        reason: message.deadLetterReason ?? 'unknown',
        description: message.deadLetterErrorDescription?.slice(0, 1000),
        deliveryCount: message.deliveryCount,
        body,
        properties,
        parkedAt: deps.now().toISOString(),
        replayCount: 0,
        replayOf,
    });
    deps.logger.warn('Lead event parked', { parkedId: id, messageId, reason: message.deadLetterReason ?? 'unknown' });
    return id;
}
