import type { AssignmentStore } from '../ports/AssignmentStore';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
import { verifyAckToken } from './ackLink';
import { clickTimeOf } from './decideAndDeliver';

export interface AcknowledgeDeps {
    leads: LeadRepository;
    assignments: AssignmentStore;
    /** The links' key; without it no link is valid. */
    key: string | undefined;
    now(): Date;
    logger: Logger;
    /** Tells the lead's run (the durable client's raiseEvent); a run that has ended is no error. */
    raise(leadId: string, round: number): Promise<void>;
}

export type AcknowledgeResult =
    | { outcome: 'acknowledged' | 'already-acknowledged'; leadId: string; late: boolean }
    | { outcome: 'invalid' | 'expired' | 'reassigned' | 'unknown' };

const MAX_WRITE_TRIES = 10;

/**
 * The one action an acknowledgement link allows: the owner of that round says they have the lead. Checked before
 * anything is read: the signature (constant time) and the expiry. Then the lead's SLA row, with its ETag: a link
 * of an earlier round (the lead was reassigned) is refused, a second click answers what the first did. The lead's
 * run is told through its external event; the row is the truth if the event comes late.
 */
export async function acknowledgeLead(deps: AcknowledgeDeps, token: string): Promise<AcknowledgeResult> {
    if (deps.key === undefined) return { outcome: 'invalid' };
    const now = deps.now();
    const checked = verifyAckToken(deps.key, token, now);
    if (!checked.ok) return { outcome: checked.reason === 'expired' ? 'expired' : 'invalid' };
    const { leadId, round } = checked.claim;
    for (let tries = 1; tries <= MAX_WRITE_TRIES; tries++) {
        const record = await deps.leads.get(leadId);
        const sla = record?.sla;
        if (record === undefined || sla === undefined) return { outcome: 'unknown' };
        if (sla.state === 'acknowledged') return { outcome: 'already-acknowledged', leadId, late: false };
        if (sla.round !== round) return { outcome: 'reassigned' };
        const at = now.toISOString();
        const late = sla.dueAt !== undefined && at > sla.dueAt;
        const saved = await deps.leads.saveSla(
            record,
            { ...sla, state: 'acknowledged', acknowledgedAt: at, acknowledgedBy: 'link' },
            [{ at, kind: 'acknowledged', detail: { round, by: 'link', late: String(late) } }],
            now,
        );
        if (saved === false) continue;
        if (sla.state === 'unattended') await deps.assignments.clearUnattended(leadId);
        const click = clickTimeOf(record);
        if (Number.isFinite(click)) pipelineMetrics().clickToAck.record(now.getTime() - click, { queue: sla.queue });
        pipelineMetrics().slaOutcomes.add(1, { queue: sla.queue, outcome: late ? 'acknowledged-late' : 'met' });
        deps.logger.info('Lead acknowledged', { leadId, round, late });
        await deps.raise(leadId, round);
        return { outcome: 'acknowledged', leadId, late };
    }
    throw new Error(`Lead ${leadId}: the SLA row kept changing`);
}
