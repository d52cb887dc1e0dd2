import fc from 'fast-check';

import {
    type Lead,
    MarketplacePayloadError,
    parseMarketplaceCallback,
    parseMarketplaceTableRow,
} from '../../../shared/domain';

const meta = { receivedAt: '2026-11-21T06:00:00.000Z' };

function outcome(run: () => Lead): 'lead' | 'typed-error' {
    try {
        const lead = run();
        expect(lead.leadKey).toMatch(/^lk-[0-9a-f]{40}$/);
        expect(JSON.parse(JSON.stringify(lead))).toEqual(lead);
        return 'lead';
    } catch (e) {
        if (e instanceof MarketplacePayloadError) return 'typed-error';
        throw e;
    }
}

/** Objects shaped like marketplace payloads, with random values where the fields go. */
const payloadish = fc.record(
    {
        UserDetails: fc.oneof(
            fc.record(
                {
                    FirstName: fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.jsonValue()),
                    Email: fc.oneof(fc.emailAddress(), fc.string(), fc.jsonValue()),
                    Phone: fc.oneof(fc.string(), fc.integer(), fc.jsonValue()),
                    Country: fc.oneof(fc.constantFrom('US', 'USA', 'Deutschland', '日本'), fc.string()),
                    Title: fc.string(),
                },
                { requiredKeys: [] },
            ),
            fc.jsonValue(),
        ),
        LeadSource: fc.oneof(fc.constantFrom('SPZA-PLT|a.b', 'AzureMarketplace'), fc.string(), fc.jsonValue()),
        ActionCode: fc.oneof(fc.constantFrom('INS', 'PLT', 'DNC', 'Create', 'StartTestDrive'), fc.jsonValue()),
        OfferTitle: fc.oneof(fc.string(), fc.jsonValue()),
        Description: fc.oneof(
            fc.string(),
            fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())).map((d) => JSON.stringify(d)),
            fc.jsonValue(),
        ),
    },
    { requiredKeys: [] },
);

describe('parser properties', () => {
    it('when the body is any JSON value then parsing gives a lead or MarketplacePayloadError, nothing else', () => {
        fc.assert(
            fc.property(fc.jsonValue(), (value) => {
                const result = outcome(() => parseMarketplaceCallback(JSON.stringify(value), meta));
                const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
                expect(result).toBe(isObject ? 'lead' : 'typed-error');
            }),
            { numRuns: 300 },
        );
    });

    it('when the body is any string then parsing gives a lead or MarketplacePayloadError, nothing else', () => {
        fc.assert(
            fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json()), (text) => {
                outcome(() => parseMarketplaceCallback(text, meta));
            }),
            { numRuns: 300 },
        );
    });

    it('when the body is any bytes then parsing gives a lead or MarketplacePayloadError, nothing else', () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
                outcome(() => parseMarketplaceCallback(bytes, meta));
            }),
            { numRuns: 200 },
        );
    });

    it('when a payload-shaped object has arbitrary values then it always parses to a lead', () => {
        fc.assert(
            fc.property(payloadish, (body) => {
                expect(outcome(() => parseMarketplaceCallback(JSON.stringify(body), meta))).toBe('lead');
            }),
            { numRuns: 300 },
        );
    });

    it('when a table entity has arbitrary values then it always parses to a lead', () => {
        fc.assert(
            fc.property(
                fc.dictionary(
                    fc.constantFrom(
                        'PartitionKey',
                        'RowKey',
                        'CustomerInfo',
                        'CreatedTime',
                        'Timestamp',
                        'LeadSource',
                        'x',
                    ),
                    fc.oneof(fc.jsonValue(), fc.json(), fc.date({ noInvalidDate: false })),
                ),
                (entity) => {
                    expect(outcome(() => parseMarketplaceTableRow(entity, meta))).toBe('lead');
                },
            ),
            { numRuns: 300 },
        );
    });
});

describe('lead key properties', () => {
    const recase = (key: string, mode: number): string =>
        mode === 0 ? key.toLowerCase() : mode === 1 ? key.toUpperCase() : key[0]!.toLowerCase() + key.slice(1);

    function rekey(value: unknown, mode: number): unknown {
        if (Array.isArray(value) || typeof value !== 'object' || value === null) return value;
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [recase(k, mode), rekey(v, mode)]));
    }

    const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '');
    const lead = fc.record({
        UserDetails: fc.record({
            FirstName: text,
            LastName: text,
            Email: fc.emailAddress(),
            Company: text,
            Title: text,
        }),
        LeadSource: fc.constantFrom('SPZA-PLT|a.b', 'AzureMarketplace', 'AzurePortal-Create|x.y'),
        ActionCode: fc.constantFrom('INS', 'PLT', 'DNC', 'Create', 'StartTestDrive'),
        OfferTitle: text,
        Description: text,
    });

    it('when key casing, JSON whitespace and padding around values change then the lead key is the same', () => {
        fc.assert(
            fc.property(lead, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 4 }), (body, mode, indent) => {
                const pad = (v: unknown): unknown => (typeof v === 'string' ? ` ${v}\t ` : v);
                const padded = {
                    ...body,
                    UserDetails: Object.fromEntries(Object.entries(body.UserDetails).map(([k, v]) => [k, pad(v)])),
                    OfferTitle: pad(body.OfferTitle),
                };
                const a = parseMarketplaceCallback(JSON.stringify(body), meta);
                const b = parseMarketplaceCallback(JSON.stringify(rekey(padded, mode), null, indent), meta);
                expect(b.leadKey).toBe(a.leadKey);
                expect(b.personKey).toBe(a.personKey);
            }),
            { numRuns: 200 },
        );
    });

    it('when two leads differ in email then their keys differ', () => {
        fc.assert(
            fc.property(lead, fc.emailAddress(), (body, other) => {
                fc.pre(other.toLowerCase() !== body.UserDetails.Email.toLowerCase());
                const a = parseMarketplaceCallback(JSON.stringify(body), meta);
                const b = parseMarketplaceCallback(
                    JSON.stringify({ ...body, UserDetails: { ...body.UserDetails, Email: other } }),
                    meta,
                );
                expect(b.leadKey).not.toBe(a.leadKey);
            }),
            { numRuns: 200 },
        );
    });
});
