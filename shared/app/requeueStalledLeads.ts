import type { LeadEvent, LeadPublisher } from '../ports/LeadPublisher';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';

export interface SweepDeps {
    leads: LeadRepository;
    publisher: LeadPublisher;
    logger: Logger;
    now(): Date;
}

export interface SweepOptions {
    /** A lead still `received` this long after it arrived is considered stalled. */
    stalledAfterMinutes: number;
    /** How far back to look. */
    lookBackDays: number;
}

/**
 * Ack fast, never lose: a lead is stored before it is enqueued, so if the enqueue failed and the marketplace never
 * retried, the lead would sit in `received` for ever. This sends its event again under a new message id (duplicate
 * detection may still remember the first id); the starter's instance check keeps it from running twice.
 */
export async function requeueStalledLeads(deps: SweepDeps, options: SweepOptions): Promise<number> {
    const now = deps.now();
    const cutoff = new Date(now.getTime() - options.stalledAfterMinutes * 60_000).toISOString();
    const since = new Date(now.getTime() - options.lookBackDays * 86_400_000);
    let continuationToken: string | undefined;
    let requeued = 0;
    do {
        const page = await deps.leads.list({ status: 'received', since, limit: 100, continuationToken });
        for (const lead of page.items.filter((l) => l.receivedAt < cutoff)) {
            const event: LeadEvent = {
                leadId: lead.leadId,
                channel: lead.channel === 'table' ? 'table' : 'https',
                receivedAt: lead.receivedAt,
            };
            const bucket = Math.floor(now.getTime() / (options.stalledAfterMinutes * 60_000));
            await deps.publisher.publish(event, {
                messageId: `${lead.leadId}:requeue-${bucket}`,
                properties: { leadId: lead.leadId, channel: event.channel, requeued: true },
            });
            requeued++;
        }
        continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    if (requeued > 0) deps.logger.warn('Stalled leads enqueued again', { count: requeued });
    return requeued;
}
