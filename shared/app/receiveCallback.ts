import { MarketplacePayloadError, parseMarketplaceCallback } from '../domain/index';
import type { InvalidPayloadStore } from '../ports/InvalidPayloadStore';
import { acceptLead, type AcceptLeadDeps } from './acceptLead';

export interface ReceiveCallbackDeps extends AcceptLeadDeps {
    invalidPayloads: InvalidPayloadStore;
}

export type CallbackResult =
    | { kind: 'accepted'; leadId: string; duplicate: boolean }
    | { kind: 'invalid'; reason: string; message: string; payloadId: string };

/** Marketplace HTTPS callback: parse, store, enqueue. A body that is not a JSON object is stored and reported. */
export async function receiveCallback(deps: ReceiveCallbackDeps, raw: Uint8Array): Promise<CallbackResult> {
    const receivedAt = deps.now();
    const text = new TextDecoder('utf-8').decode(raw);
    let lead;
    try {
        lead = parseMarketplaceCallback(text, { receivedAt: receivedAt.toISOString() });
    } catch (err) {
        if (!(err instanceof MarketplacePayloadError)) throw err;
        const payloadId = await deps.invalidPayloads.save(raw, err.reason, receivedAt);
        deps.logger.warn('Marketplace callback body is not a JSON object', { reason: err.reason, payloadId });
        return { kind: 'invalid', reason: err.reason, message: err.message, payloadId };
    }
    const accepted = await acceptLead(deps, lead, raw);
    return { kind: 'accepted', ...accepted };
}
