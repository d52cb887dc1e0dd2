/* eslint-disable @typescript-eslint/require-await -- a scripted repository answers synchronously */
import { commitWithRetry, DeliveryConflictError } from '../../../shared/app/commitWithRetry';
import type { LeadRecord } from '../../../shared/domain';
import type { DeliveryCommit, LeadRepository } from '../../../shared/ports/LeadRepository';

const lead = (version: number) =>
    ({ leadId: 'lk-1', receivedAt: 'r', deliveries: [], version }) as unknown as LeadRecord;
const commit: DeliveryCommit = { deliveries: [], history: { at: 'now', kind: 'test' }, now: new Date(0) };

/** A repository whose commits fail (another writer was first) the first `conflicts` times. */
function scripted(conflicts: number) {
    const reads: number[] = [];
    let version = 0;
    let left = conflicts;
    const leads = {
        get: async () => {
            reads.push(++version);
            return lead(version);
        },
        commitDeliveries: async () => left-- <= 0,
    } as unknown as LeadRepository;
    return { leads, reads };
}

describe('commitWithRetry', () => {
    it('when another writer commits first then the lead is read again and the change decided again on the new rows', async () => {
        const { leads, reads } = scripted(2);
        const seen: number[] = [];

        const result = await commitWithRetry(
            leads,
            'lk-1',
            (record) => {
                seen.push((record as unknown as { version: number }).version);
                return { commit, result: 'done' };
            },
            { maxTries: 5 },
        );

        expect(result).toBe('done');
        expect(reads).toEqual([1, 2, 3]);
        expect(seen).toEqual([1, 2, 3]);
    });

    it('when a record is already read then the first try uses it without reading', async () => {
        const { leads, reads } = scripted(0);

        await commitWithRetry(leads, 'lk-1', () => ({ commit, result: undefined }), { maxTries: 2, first: lead(0) });

        expect(reads).toEqual([]);
    });

    it('when the change answers without a commit then nothing is written', async () => {
        const { leads } = scripted(0);
        const spy = jest.spyOn(leads, 'commitDeliveries');

        expect(await commitWithRetry(leads, 'lk-1', () => ({ answer: 'nothing to do' }), { maxTries: 2 })).toBe(
            'nothing to do',
        );
        expect(spy).not.toHaveBeenCalled();
    });

    it('when the rows keep changing then it gives up after maxTries with the named conflict error', async () => {
        const { leads, reads } = scripted(99);

        const failure = commitWithRetry(leads, 'lk-1', () => ({ commit, result: 1 }), { maxTries: 3 });

        await expect(failure).rejects.toBeInstanceOf(DeliveryConflictError);
        await expect(failure).rejects.toMatchObject({ leadId: 'lk-1', tries: 3 });
        expect(reads).toHaveLength(3);
    });
});
