import { parseMarketplaceCallback, parseMarketplaceTableRow } from '../../../shared/domain';
import { receivedAt, sampleBytes, sampleJson } from './support/samples';

const meta = { receivedAt };

describe('parseMarketplaceTableRow', () => {
    it('when the row is the shared test-lead fixture then CustomerInfo, keys and times are read', () => {
        const lead = parseMarketplaceTableRow(sampleJson('marketplace/table-row-test-lead.json'), meta);
        expect(lead.channel).toBe('table');
        expect(lead.tableKey).toEqual({
            partitionKey: '9:2F28:2F2018',
            rowKey: 'a8f2c1d0-5b7e-4c39-9d0a-3e6f1b2c4d5e',
        });
        expect(lead.createdTime).toBe('2018-09-28T18:24:11.0000000Z');
        expect(lead.receivedAt).toBe('2018-09-28T18:24:11.000Z');
        expect(lead.contact.email).toBe('MSFT_TEST_636737558587117715@test.com');
        expect(lead.offer).toEqual({
            title: 'Contoso Analytics',
            publisherId: 'contoso',
            offerId: 'contoso-analytics',
        });
        expect(lead.source.actionToken).toBe('INS');
        expect(lead.flags.isTest).toBe(true);
        expect(lead.unknownKeys).toEqual([]);
    });

    it('when the row has ProductId and OfferDisplayName then they become the offer', () => {
        const lead = parseMarketplaceTableRow(sampleJson('table-row-contact-me.json'), meta);
        expect(lead.offer).toEqual({
            title: 'Contoso Analytics',
            publisherId: 'contoso',
            offerId: 'contoso-analytics',
            productId: 'contoso-analytics-preview',
        });
    });

    it('when the same lead arrives as a callback and as a table row then both get the same lead and person key', () => {
        const row = parseMarketplaceTableRow(sampleJson('table-row-contact-me.json'), meta);
        // The callback reached the intake a few seconds after the marketplace created the row.
        const https = parseMarketplaceCallback(sampleBytes('marketplace/https-camelcase-contact-me.json'), {
            receivedAt: '2026-11-21T06:00:09.000Z',
        });
        expect(row.leadKey).toBe(https.leadKey);
        expect(row.personKey).toBe(https.personKey);
    });

    it('when CustomerInfo is not valid JSON then the problem is recorded and the rest of the row is kept', () => {
        const entity = { ...sampleJson('table-row-contact-me.json'), CustomerInfo: '{"FirstName": "Dana", oops' };
        const lead = parseMarketplaceTableRow(entity, meta);
        expect(lead.problems).toEqual([{ field: 'CustomerInfo', problem: 'not valid JSON' }]);
        expect(lead.contact).toEqual({ emailDomainClass: 'none' });
        expect(lead.action.meaning).toBe('contact-me');
        expect(lead.flags.missingContact).toBe(true);
    });

    it('when CustomerInfo is JSON but not an object then it is a problem', () => {
        const lead = parseMarketplaceTableRow({ CustomerInfo: '[1]' }, meta);
        expect(lead.problems).toEqual([{ field: 'CustomerInfo', problem: 'expected an object, got array' }]);
    });

    it('when CustomerInfo uses camelCase and a BOM then it is still read', () => {
        const lead = parseMarketplaceTableRow(
            { CustomerInfo: '\uFEFF{"email":"a@contoso.com","firstName":"A"}' },
            meta,
        );
        expect(lead.contact.email).toBe('a@contoso.com');
    });

    it('when the entity comes from the Table SDK (camelCase system keys, Date values, odata types) then it is read', () => {
        const lead = parseMarketplaceTableRow(
            {
                partitionKey: 'p',
                rowKey: 'r',
                etag: 'W/"datetime\'2026\'"',
                timestamp: '2026-11-21T06:00:05.000Z',
                CreatedTime: new Date('2026-11-21T06:00:03.000Z'),
                'CreatedTime@odata.type': 'Edm.DateTime',
                NewColumn: 'x',
            },
            meta,
        );
        expect(lead.tableKey).toEqual({ partitionKey: 'p', rowKey: 'r' });
        expect(lead.createdTime).toBe('2026-11-21T06:00:03.000Z');
        expect(lead.receivedAt).toBe('2026-11-21T06:00:03.000Z');
        expect(lead.unknownKeys).toEqual(['NewColumn']);
    });

    it('when CreatedTime does not parse then Timestamp is the time, then the read time', () => {
        expect(
            parseMarketplaceTableRow({ CreatedTime: '28/09/2018 ??', Timestamp: '2026-01-01T00:00:00Z' }, meta)
                .receivedAt,
        ).toBe('2026-01-01T00:00:00.000Z');
        expect(parseMarketplaceTableRow({ CreatedTime: 'garbage' }, meta).receivedAt).toBe(receivedAt);
    });

    it('when PartitionKey or RowKey is missing then there is no table key', () => {
        expect(parseMarketplaceTableRow({ PartitionKey: 'p' }, meta).tableKey).toBeUndefined();
    });

    it('when the row is empty then a lead with nothing is returned, never a throw', () => {
        const lead = parseMarketplaceTableRow({}, meta);
        expect(lead.channel).toBe('table');
        expect(lead.flags.missingContact).toBe(true);
    });

    it.each([[null], [[1, 2]], ['text']])(
        'when the row is %j instead of an object then it is an empty lead with a problem',
        (row) => {
            const lead = parseMarketplaceTableRow(row as unknown as Record<string, unknown>, meta);
            expect(lead.problems).toEqual([{ field: '$', problem: 'the row is not an object' }]);
            expect(lead.receivedAt).toBe(receivedAt);
        },
    );

    it('when the row carries a __proto__ key then nothing is polluted', () => {
        const entity = JSON.parse('{"__proto__":{"polluted":1},"CustomerInfo":"{\\"__proto__\\":{\\"polluted\\":1}}"}');
        const lead = parseMarketplaceTableRow(entity, meta);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(lead.unknownKeys).toEqual(['__proto__', 'CustomerInfo.__proto__']);
    });
});
