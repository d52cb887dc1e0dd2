import type { LeadRecord } from '../domain/index';
import type { DeliveryCommit, LeadRepository } from '../ports/LeadRepository';

/** Another writer kept changing a lead's delivery rows between our read and our commit, `tries` times in a row. */
export class DeliveryConflictError extends Error {
    override readonly name = 'DeliveryConflictError';
    constructor(
        readonly leadId: string,
        readonly tries: number,
    ) {
        super(`Delivery rows of ${leadId} kept changing (${tries} tries)`);
    }
}

/** What a change makes of the rows as read: a commit to try (and what it answers once committed), or an answer. */
export type RowChange<T> = { commit: DeliveryCommit; result: T } | { answer: T };

/**
 * Optimistic concurrency over a lead's delivery rows: read the lead, let `change` decide, commit with the rows'
 * ETags; when another writer got there first, read again and decide again, at most `maxTries` times. `first` is a
 * record already read (the usual case then costs no extra read).
 */
export async function commitWithRetry<T>(
    leads: LeadRepository,
    leadId: string,
    change: (record: LeadRecord | undefined) => RowChange<T> | Promise<RowChange<T>>,
    options: { maxTries: number; first?: LeadRecord },
): Promise<T> {
    let record = options.first;
    for (let tries = 1; ; tries++) {
        if (tries > 1 || record === undefined) record = await leads.get(leadId);
        const decided = await change(record);
        if ('answer' in decided) return decided.answer;
        if (record === undefined) throw new Error(`Lead ${leadId} is not stored`);
        if (await leads.commitDeliveries(record, decided.commit)) return decided.result;
        if (tries >= options.maxTries) throw new DeliveryConflictError(leadId, tries);
    }
}
