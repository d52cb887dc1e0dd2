import { LEAD_KEY_BUCKET_MINUTES, leadKeyCandidates, parseMarketplaceCallback } from '../../../shared/domain';
import { callback, receivedAt, sampleBytes } from './support/samples';

const keyShape = /^[A-Za-z0-9-]{1,64}$/;

describe('lead key', () => {
    it('when the same callback arrives twice then it gets the same key', () => {
        const a = parseMarketplaceCallback(sampleBytes('marketplace/https-documented-example.json'), { receivedAt });
        const b = parseMarketplaceCallback(sampleBytes('marketplace/https-documented-example.json'), { receivedAt });
        expect(a.leadKey).toBe(b.leadKey);
        expect(a.leadKey).toMatch(keyShape);
        expect(a.leadKey).toMatch(/^lk-[0-9a-f]{40}$/);
    });

    it('when the same callback arrives again two minutes later in the same bucket then the key is the same', () => {
        const a = parseMarketplaceCallback(callback(), { receivedAt: '2026-11-21T06:01:00Z' });
        const b = parseMarketplaceCallback(callback(), { receivedAt: '2026-11-21T06:03:00Z' });
        expect(a.leadKey).toBe(b.leadKey);
    });

    it('when a copy straddles a bucket boundary then the later key is among the earlier lead’s candidates and vice versa', () => {
        const a = parseMarketplaceCallback(callback(), { receivedAt: '2026-11-21T06:09:59Z' });
        const b = parseMarketplaceCallback(callback(), { receivedAt: '2026-11-21T06:10:01Z' });
        expect(a.leadKey).not.toBe(b.leadKey);
        expect(leadKeyCandidates(a)).toContain(b.leadKey);
        expect(leadKeyCandidates(b)).toContain(a.leadKey);
        expect(leadKeyCandidates(a)[0]).toBe(a.leadKey);
        expect(leadKeyCandidates(a).every((k) => keyShape.test(k))).toBe(true);
    });

    it(`when the same content arrives two buckets (${2 * LEAD_KEY_BUCKET_MINUTES} min) apart then it is a new lead`, () => {
        const a = parseMarketplaceCallback(callback(), { receivedAt: '2026-11-21T06:05:00Z' });
        const b = parseMarketplaceCallback(callback(), { receivedAt: '2026-11-21T06:25:00Z' });
        expect(leadKeyCandidates(a)).not.toContain(b.leadKey);
    });

    it('when receivedAt does not parse then the key is still deterministic and the only candidate', () => {
        const a = parseMarketplaceCallback(callback(), { receivedAt: 'not a time' });
        const b = parseMarketplaceCallback(callback(), { receivedAt: 'not a time' });
        expect(a.leadKey).toBe(b.leadKey);
        expect(leadKeyCandidates(a)).toEqual([a.leadKey]);
    });

    it.each([
        ['email', { Email: 'other@contoso.com' }, {}],
        ['first name', { FirstName: 'Bea' }, {}],
        ['company', { Company: 'Fabrikam' }, {}],
        ['phone', { Phone: '+1 425 555 0199' }, {}],
        ['action', {}, { ActionCode: 'INS' }],
        ['offer', {}, { OfferTitle: 'Another offer' }],
        ['source', {}, { LeadSource: 'AzurePortal-PLT|contoso.contoso-analytics' }],
        ['description', {}, { Description: 'Call me tomorrow' }],
    ])('when only the %s differs then the keys differ', (_what, details, top) => {
        const a = parseMarketplaceCallback(callback(), { receivedAt });
        const b = parseMarketplaceCallback(callback(details, top), { receivedAt });
        expect(a.leadKey).not.toBe(b.leadKey);
    });

    it('when values differ only in case, width and surrounding whitespace then the key is the same', () => {
        const a = parseMarketplaceCallback(callback({ Email: 'ana.silva@contoso.com', Company: 'Contoso' }), {
            receivedAt,
        });
        const b = parseMarketplaceCallback(
            callback({ Email: ' ANA.SILVA@Contoso.com ', Company: 'ＣＯＮＴＯＳＯ  ' }),
            {
                receivedAt,
            },
        );
        expect(a.leadKey).toBe(b.leadKey);
    });

    it('when a name arrives composed (NFC) or decomposed (NFD) then the key is the same and the original is kept', () => {
        const a = parseMarketplaceCallback(callback({ FirstName: 'Zoë Nguyễn' }), { receivedAt });
        const b = parseMarketplaceCallback(callback({ FirstName: 'Zoë Nguyễn'.normalize('NFD') }), { receivedAt });
        expect(a.leadKey).toBe(b.leadKey);
        expect(b.contact.firstName).toBe('Zoë Nguyễn'.normalize('NFD'));
    });

    it('when the phone is written with other punctuation then the key is the same', () => {
        const a = parseMarketplaceCallback(callback({ Phone: '+1 (425) 555-0100' }), { receivedAt });
        const b = parseMarketplaceCallback(callback({ Phone: '14255550100' }), { receivedAt });
        expect(a.leadKey).toBe(b.leadKey);
    });

    it('when 10 000 distinct leads are parsed then no two share a key', () => {
        const keys = new Set<string>();
        for (let i = 0; i < 10_000; i++) {
            keys.add(parseMarketplaceCallback(callback({ Email: `p${i}@contoso.com` }), { receivedAt }).leadKey);
        }
        expect(keys.size).toBe(10_000);
    });
});

describe('person key', () => {
    it('when one person acts on one offer several times then every lead shares the person key', () => {
        const contact = parseMarketplaceCallback(callback({}, { ActionCode: 'PLT' }), { receivedAt });
        const install = parseMarketplaceCallback(callback({ Phone: '' }, { ActionCode: 'INS', Description: '' }), {
            receivedAt: '2026-11-22T10:00:00Z',
        });
        expect(contact.leadKey).not.toBe(install.leadKey);
        expect(contact.personKey).toBe(install.personKey);
        expect(contact.personKey).toMatch(/^pk-[0-9a-f]{40}$/);
    });

    it('when the email differs only in case then the person key is the same', () => {
        const a = parseMarketplaceCallback(callback({ Email: 'Ana.Silva@Contoso.com' }), { receivedAt });
        const b = parseMarketplaceCallback(callback({ Email: 'ana.silva@contoso.com' }), { receivedAt });
        expect(a.personKey).toBe(b.personKey);
    });

    it('when the same person acts on another offer then the person key differs', () => {
        const a = parseMarketplaceCallback(callback(), { receivedAt });
        const b = parseMarketplaceCallback(callback({}, { OfferTitle: 'Other offer' }), { receivedAt });
        expect(a.personKey).not.toBe(b.personKey);
    });

    it('when there is no email then there is no person key', () => {
        expect(parseMarketplaceCallback(callback({ Email: '' }), { receivedAt }).personKey).toBeUndefined();
    });
});
