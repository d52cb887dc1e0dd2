import { type Lead, leadKeyCandidates } from '../domain/index';
import type { LeadEvent, LeadPublisher } from '../ports/LeadPublisher';
import type { LeadRepository } from '../ports/LeadRepository';
import type { Logger } from '../ports/Logger';
import { pipelineMetrics } from '../telemetry/pipelineMetrics';
import type { TraceCarrier } from './pipelineTypes';

export interface AcceptLeadDeps {
    leads: LeadRepository;
    publisher: LeadPublisher;
    logger: Logger;
    now(): Date;
    /** W3C trace context of the current span, carried to the starter. */
    traceCarrier(): TraceCarrier;
}

export interface AcceptedLead {
    leadId: string;
    duplicate: boolean;
}

/**
 * Stores a parsed lead once and enqueues its lead event. A lead already known under any of its candidate keys is a
 * duplicate: nothing new is stored, and the event is sent again only while the lead has not started processing
 * (an earlier enqueue may have failed), with the same message id so the queue's duplicate detection absorbs it.
 */
export async function acceptLead(deps: AcceptLeadDeps, lead: Lead, raw: Uint8Array): Promise<AcceptedLead> {
    const candidates = leadKeyCandidates(lead);
    const existing = await deps.leads.findExisting(candidates.slice(1));
    let leadId = lead.leadKey;
    let status = existing?.status;
    if (existing !== undefined) {
        leadId = existing.leadId;
    } else {
        const created = await deps.leads.create({ leadId, lead, raw, now: deps.now() });
        status = created.created ? undefined : created.status;
    }
    const duplicate = status !== undefined;
    // Enum values only: the workbook charts received leads by channel and by source and action.
    if (!duplicate) {
        pipelineMetrics().leadsReceived.add(1, {
            channel: lead.channel,
            source: lead.source.kind,
            action: lead.action.meaning,
        });
    }
    deps.logger.info(duplicate ? 'Duplicate lead recognised' : 'Lead stored', {
        leadId,
        channel: lead.channel,
        isTest: lead.flags.isTest,
    });
    if (status === undefined || status === 'received') {
        const event: LeadEvent = { leadId, channel: lead.channel, receivedAt: lead.receivedAt };
        await deps.publisher.publish(event, {
            messageId: leadId,
            properties: { leadId, channel: lead.channel, ...deps.traceCarrier() },
        });
    }
    return { leadId, duplicate };
}
