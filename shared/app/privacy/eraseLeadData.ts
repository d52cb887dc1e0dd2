import type { ErasureLog } from '../../ports/ErasureLog';
import type { LeadEraser } from '../../ports/LeadEraser';
import type { Logger } from '../../ports/Logger';
import type { LeadErasureResult, LeadStepInput } from './erasureTypes';

export interface EraseLeadDataDeps {
    log: ErasureLog;
    leads: LeadEraser;
    logger: Logger;
    now(): Date;
}

/**
 * Replaces the lead by its tombstone (the keyed email hash and the erasure id) and removes every row of it. Run
 * again later it sweeps what a run that was ending meanwhile wrote, and reports the records that run made.
 */
export async function eraseLeadData(deps: EraseLeadDataDeps, input: LeadStepInput): Promise<LeadErasureResult> {
    const query = await deps.log.query(input.erasureId);
    const at = deps.now().toISOString();
    const erased = await deps.leads.erase(input.leadId, {
        erasureId: input.erasureId,
        erasedAt: at,
        ...(query?.emailHash === undefined ? {} : { emailHash: query.emailHash }),
    });
    if (erased === undefined) {
        return { leadId: input.leadId, found: false, wasTombstone: false, records: [], runIds: [], counts: {} };
    }
    deps.logger.info('Lead erased', { erasureId: input.erasureId, leadId: input.leadId, ...erased.counts });
    return {
        leadId: input.leadId,
        found: true,
        wasTombstone: erased.traces.tombstoned,
        records: erased.traces.records,
        runIds: erased.traces.runIds,
        counts: erased.counts,
    };
}
