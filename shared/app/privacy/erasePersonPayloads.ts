import type { ErasureLog } from '../../ports/ErasureLog';
import type { PayloadEraser } from '../../ports/PayloadEraser';
import type { PayloadsInput, PayloadsResult } from './erasureTypes';

export interface ErasePersonPayloadsDeps {
    log: ErasureLog;
    payloads: PayloadEraser;
}

/**
 * One page of the invalid payloads (those holding the address go), and on the first page the parked events of the
 * person's leads (or holding the address).
 */
export async function erasePersonPayloads(
    deps: ErasePersonPayloadsDeps,
    input: PayloadsInput,
): Promise<PayloadsResult> {
    const query = await deps.log.query(input.erasureId);
    let parkedEvents = 0;
    if (input.continuationToken === undefined) {
        const parked = await deps.payloads.parkedFor(input.leadIds, query?.emailKey);
        parkedEvents = await deps.payloads.deleteParked(parked.map((p) => p.id));
    }
    if (query?.emailKey === undefined) return { invalidPayloads: 0, parkedEvents };
    const page = await deps.payloads.invalidPayloadsWith(query.emailKey, input.continuationToken);
    const invalidPayloads = await deps.payloads.deleteInvalidPayloads(page.items.map((p) => p.id));
    return page.continuationToken === undefined
        ? { invalidPayloads, parkedEvents }
        : { invalidPayloads, parkedEvents, continuationToken: page.continuationToken };
}
