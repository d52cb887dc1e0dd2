import type { ParkedLead } from '../../ports/ParkedLeadStore';
import { readJson } from './jsonColumns';

/** A parked lead event as its `ParkedLeads` row stores it (the store and the privacy eraser read it one way). */
export function parkedLeadOf(e: Record<string, unknown>): ParkedLead {
    return {
        id: String(e.rowKey),
        messageId: String(e.messageId),
        reason: String(e.reason),
        description: typeof e.description === 'string' ? e.description : undefined,
        deliveryCount: typeof e.deliveryCount === 'number' ? e.deliveryCount : undefined,
        body: readJson<string>(e, 'body') ?? '',
        properties: JSON.parse(typeof e.properties === 'string' ? e.properties : '{}') as ParkedLead['properties'],
        parkedAt: String(e.parkedAt),
        replayedAt: typeof e.replayedAt === 'string' ? e.replayedAt : undefined,
        replayCount: typeof e.replayCount === 'number' ? e.replayCount : 0,
        replayOf: typeof e.replayOf === 'string' ? e.replayOf : undefined,
    };
}
