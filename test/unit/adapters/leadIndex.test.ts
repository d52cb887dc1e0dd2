import type { TableClient } from '@azure/data-tables';

import { listLeadIndex } from '../../../shared/adapters/tables/leadIndex';
import { ValidationError } from '../../../shared/domain';

const now = new Date('2026-11-21T06:00:00.000Z');
const token = (cursor: unknown) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const tableToken = (inner: unknown) => Buffer.from(JSON.stringify(inner)).toString('base64');

/** A `LeadsByTime` table with no rows that counts its queries and refuses to answer more than `cap`. */
function emptyIndex(cap = 1000) {
    const partitions: string[] = [];
    const client = {
        listEntities: ({ queryOptions }: { queryOptions: { filter: string } }) => ({
            byPage: () => ({
                next: () => {
                    partitions.push(/PartitionKey eq '([^']*)'/u.exec(queryOptions.filter)?.[1] ?? '?');
                    if (partitions.length > cap) throw new Error(`more than ${cap} queries`);
                    return Promise.resolve({ done: false, value: Object.assign([], { continuationToken: undefined }) });
                },
            }),
        }),
    } as unknown as TableClient;
    return { client, partitions };
}

describe('LeadsByTime listing', () => {
    it.each([
        ['a month 00', { m: '202600' }],
        ['a month past 12', { m: '202613' }],
        ['a month that only a string compare lets through', { m: '999999' }],
        ['a month in the future', { m: '202712' }],
        ['a month older than the query allows', { m: '201001' }],
        ['a table token without a partition key', { m: '202611', t: tableToken({ nextRowKey: 5 }) }],
        ['a table token that is not one', { m: '202611', t: 'not-a-token' }],
        ['no month at all', { t: 'x' }],
    ])('when the continuation token holds %s then it is refused before any query', async (_what, cursor) => {
        const { client, partitions } = emptyIndex();

        await expect(
            listLeadIndex(client, { limit: 50, continuationToken: token(cursor) }, now),
        ).rejects.toBeInstanceOf(ValidationError);
        expect(partitions).toEqual([]);
    });

    it('when the token is not base64url JSON or is very long then it is refused', async () => {
        const { client } = emptyIndex();
        for (const continuationToken of ['%%%', 'e30', 'A'.repeat(5000)]) {
            await expect(listLeadIndex(client, { limit: 5, continuationToken }, now)).rejects.toBeInstanceOf(
                ValidationError,
            );
        }
    });

    it('when the listing goes back to year 1 then one call reads a bounded number of months and says where to go on', async () => {
        const { client, partitions } = emptyIndex();

        const first = await listLeadIndex(client, { limit: 50, since: new Date('0001-01-01T00:00:00Z') }, now);

        expect(partitions.length).toBeLessThanOrEqual(24);
        expect(partitions.slice(0, 3)).toEqual(['202611', '202610', '202609']);
        expect(first.continuationToken).toBeDefined();
        const second = await listLeadIndex(
            client,
            { limit: 50, since: new Date('0001-01-01T00:00:00Z'), continuationToken: first.continuationToken },
            now,
        );
        expect(partitions[24]).toBe(previousOf(partitions[23]!));
        expect(second.items).toEqual([]);
    });

    it('when every month is walked page by page then the walk ends at the year 2000, not before', async () => {
        const { client, partitions } = emptyIndex(400);
        const since = new Date('1970-01-01T00:00:00Z');
        let continuationToken: string | undefined;
        let calls = 0;
        do {
            ({ continuationToken } = await listLeadIndex(client, { limit: 10, since, continuationToken }, now));
            calls++;
        } while (continuationToken !== undefined);

        expect(partitions.at(-1)).toBe('200001');
        expect(partitions).toHaveLength((2026 - 2000) * 12 + 11);
        expect(calls).toBe(Math.ceil(partitions.length / 24));
    });

    it('when the clock runs past the time budget then the call stops and answers a token', async () => {
        const { client, partitions } = emptyIndex();
        let t = 0;

        const page = await listLeadIndex(client, { limit: 50 }, now, () => (t += 4_000));

        expect(partitions.length).toBeLessThan(13);
        expect(page.continuationToken).toBeDefined();
    });
});

function previousOf(m: string): string {
    const year = Number(m.slice(0, 4));
    const month = Number(m.slice(4, 6));
    return month === 1 ? `${year - 1}12` : `${year}${String(month - 1).padStart(2, '0')}`;
}
