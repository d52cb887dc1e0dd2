import type { LeadPublisher } from '../ports/LeadPublisher';
import type { Logger } from '../ports/Logger';
import type { ParkedLead, ParkedLeadStore } from '../ports/ParkedLeadStore';

export interface ReplayDeps {
    parked: ParkedLeadStore;
    publisher: LeadPublisher;
    logger: Logger;
    now(): Date;
}

/**
 * Sends a parked event to the queue again. The message id is new (`<original>:replay-<n>`) because duplicate
 * detection would drop a message with the original id; the starter's instance id keeps processing idempotent.
 */
export async function replayParkedLead(deps: ReplayDeps, id: string): Promise<ParkedLead | undefined> {
    const parked = await deps.parked.get(id);
    if (parked === undefined) return undefined;
    const messageId = `${parked.messageId}:replay-${parked.replayCount + 1}`.slice(0, 128);
    let body: unknown;
    try {
        body = JSON.parse(parked.body) as unknown;
    } catch {
        body = parked.body;
    }
    await deps.publisher.publish(body, { messageId, properties: { ...parked.properties, replayOf: parked.id } });
    const updated = await deps.parked.markReplayed(id, deps.now());
    deps.logger.info('Parked lead event replayed', { parkedId: id, messageId });
    return updated;
}
