import { MarketplacePayloadError, parseMarketplaceCallback } from '../../../shared/domain';
import { callback, receivedAt, sampleBytes } from './support/samples';

const meta = { receivedAt };

describe('parseMarketplaceCallback with the shared fixtures', () => {
    it('when the body is the camelCase Contact me lead then every field, the offer split and the phone are parsed', () => {
        const lead = parseMarketplaceCallback(sampleBytes('marketplace/https-camelcase-contact-me.json'), meta);
        expect(lead.channel).toBe('https');
        expect(lead.receivedAt).toBe(receivedAt);
        expect(lead.contact).toMatchObject({
            firstName: 'Dana',
            lastName: 'Whitfield',
            email: 'dana.whitfield@fabrikam.com',
            emailNormalised: 'dana.whitfield@fabrikam.com',
            emailDomain: 'fabrikam.com',
            emailDomainClass: 'corporate',
            phone: '+1 425 555 0134',
            phoneE164: '+14255550134',
            country: 'United States',
            countryCode: 'US',
            company: 'Fabrikam, Inc.',
            title: 'Director of IT',
        });
        expect(lead.source).toEqual({
            raw: 'SPZA-PLT|contoso.contoso-analytics',
            kind: 'AppSource',
            sourceToken: 'SPZA',
            actionToken: 'PLT',
            offerRef: 'contoso.contoso-analytics',
        });
        expect(lead.action).toEqual({ code: 'PLT', meaning: 'contact-me' });
        expect(lead.offer).toEqual({
            title: 'Contoso Analytics',
            publisherId: 'contoso',
            offerId: 'contoso-analytics',
        });
        expect(lead.description.notes).toBe('We have 400 seats and want a demo next week.');
        expect(lead.flags).toEqual({ isTest: false, missingContact: false, isEducation: false });
        expect(lead.unknownKeys).toEqual([]);
        expect(lead.truncatedFields).toEqual({});
        expect(lead.leadKey).toMatch(/^lk-[0-9a-f]{40}$/);
        expect(lead.personKey).toMatch(/^pk-[0-9a-f]{40}$/);
    });

    it('when the body is the documented PascalCase example then the unformatted phone gets an E.164 form', () => {
        const lead = parseMarketplaceCallback(sampleBytes('marketplace/https-documented-example.json'), meta);
        expect(lead.contact).toMatchObject({ firstName: 'Some', countryCode: 'US', phoneE164: '+16175555555' });
        expect(lead.source).toEqual({
            raw: 'AzureMarketplace',
            kind: 'AzureMarketplace',
            sourceToken: 'AzureMarketplace',
        });
        expect(lead.action.meaning).toBe('install');
        expect(lead.offer).toEqual({ title: 'Test Microsoft' });
    });

    it('when the body is the documented test lead (outer camelCase, inner PascalCase) then it is flagged as a test', () => {
        const lead = parseMarketplaceCallback(sampleBytes('marketplace/https-test-lead.json'), meta);
        expect(lead.flags.isTest).toBe(true);
        expect(lead.flags.testMarker).toBe('MSFT_TEST_ in contact.firstName');
        expect(lead.contact.email).toBe('MSFT_TEST_636573304831318844@test.com');
        expect(lead.contact.phoneE164).toBeUndefined(); // 123-456-7890 is not a valid US number
    });
});

describe('parseMarketplaceCallback casing', () => {
    const variants: [string, (k: string) => string][] = [
        ['PascalCase', (k) => k],
        ['camelCase', (k) => k[0]!.toLowerCase() + k.slice(1)],
        ['lower case', (k) => k.toLowerCase()],
        ['UPPER CASE', (k) => k.toUpperCase()],
        ['alternating', (k) => [...k].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('')],
    ];
    const body = (k: (s: string) => string): string =>
        JSON.stringify({
            [k('UserDetails')]: {
                [k('FirstName')]: 'Ana',
                [k('LastName')]: 'Silva',
                [k('Email')]: 'ana@contoso.com',
                [k('Phone')]: '4255550100',
                [k('Country')]: 'USA',
                [k('Company')]: 'Contoso',
                [k('Title')]: 'CTO',
            },
            [k('LeadSource')]: 'AzureMarketplace-INS|contoso.analytics',
            [k('ActionCode')]: 'INS',
            [k('OfferTitle')]: 'Analytics',
            [k('Description')]: 'hello',
        });
    const reference = parseMarketplaceCallback(
        body((k) => k),
        meta,
    );

    it.each(variants)('when keys are %s then the lead equals the PascalCase one', (_name, k) => {
        const lead = parseMarketplaceCallback(body(k), meta);
        expect(lead).toEqual(reference);
        expect(lead.contact.firstName).toBe('Ana');
        expect(lead.unknownKeys).toEqual([]);
    });

    it('when the same key comes in two casings then a filled value wins over a blank one', () => {
        const lead = parseMarketplaceCallback(
            JSON.stringify({ userDetails: { email: '', Email: 'ana@contoso.com' }, offerTitle: 'X' }),
            meta,
        );
        expect(lead.contact.email).toBe('ana@contoso.com');
    });
});

describe('parseMarketplaceCallback with missing fields', () => {
    it('when the body is an empty object then the lead has every flag and no contact', () => {
        const lead = parseMarketplaceCallback('{}', meta);
        expect(lead.contact).toEqual({ emailDomainClass: 'none' });
        expect(lead.source).toEqual({ kind: 'Unknown' });
        expect(lead.action).toEqual({ meaning: 'unknown' });
        expect(lead.offer).toEqual({});
        expect(lead.description).toEqual({});
        expect(lead.flags).toEqual({ isTest: false, missingContact: true, isEducation: false });
        expect(lead.personKey).toBeUndefined();
    });

    it('when every field is an empty string (real .edu traffic) then nothing is set and the lead cannot be contacted', () => {
        const lead = parseMarketplaceCallback(sampleBytes('https-edu-no-contact.json'), meta);
        expect(lead.contact).toEqual({ emailDomainClass: 'none' });
        expect(lead.flags.missingContact).toBe(true);
        expect(lead.description).toEqual({ raw: 'Campaigns: ' });
    });

    it('when only a phone is given then the lead is contactable', () => {
        const lead = parseMarketplaceCallback(JSON.stringify({ userDetails: { phone: '+44 20 7946 0958' } }), meta);
        expect(lead.flags.missingContact).toBe(false);
        expect(lead.contact.phoneE164).toBe('+442079460958');
    });

    it('when UserDetails is missing then the rest is still parsed', () => {
        const lead = parseMarketplaceCallback(JSON.stringify({ ActionCode: 'INS', OfferTitle: 'Only offer' }), meta);
        expect(lead.offer.title).toBe('Only offer');
        expect(lead.action.meaning).toBe('install');
    });

    it('when a field has the wrong type then it is recorded as a problem by name and treated as absent', () => {
        const lead = parseMarketplaceCallback(
            JSON.stringify({
                UserDetails: { Email: ['a@b.com'], Phone: 4255550100, Company: { x: 1 } },
                ActionCode: true,
            }),
            meta,
        );
        expect(lead.contact.email).toBeUndefined();
        expect(lead.contact.phone).toBe('4255550100');
        expect(lead.problems).toEqual([
            { field: 'contact.email', problem: 'expected a string, got array' },
            { field: 'contact.company', problem: 'expected a string, got object' },
            { field: 'actionCode', problem: 'expected a string, got boolean' },
        ]);
    });

    it('when UserDetails is a JSON string then it is read like CustomerInfo', () => {
        const lead = parseMarketplaceCallback(JSON.stringify({ userDetails: '{"Email":"ana@contoso.com"}' }), meta);
        expect(lead.contact.email).toBe('ana@contoso.com');
    });

    it('when UserDetails is an array then it is a problem and the contact is empty', () => {
        const lead = parseMarketplaceCallback(JSON.stringify({ userDetails: [1, 2] }), meta);
        expect(lead.problems).toEqual([{ field: 'userDetails', problem: 'expected an object, got array' }]);
    });
});

describe('parseMarketplaceCallback body handling', () => {
    it('when the body has a UTF-8 BOM (bytes) then it parses', () => {
        const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(callback())]);
        expect(parseMarketplaceCallback(bytes, meta).contact.firstName).toBe('Ana');
    });

    it('when the body is a string with a BOM then it parses', () => {
        expect(parseMarketplaceCallback(`\uFEFF${callback()}`, meta).contact.firstName).toBe('Ana');
    });

    it('when the body is a Uint8Array then it is decoded as UTF-8', () => {
        const bytes = new TextEncoder().encode(callback({ FirstName: 'Zoë' }));
        expect(parseMarketplaceCallback(bytes, meta).contact.firstName).toBe('Zoë');
    });

    it.each([
        ['', 'empty'],
        ['   \n', 'empty'],
        ['\uFEFF', 'empty'],
        ['not json', 'not-json'],
        ['{"a":', 'not-json'],
        ['[]', 'not-an-object'],
        ['null', 'not-an-object'],
        ['"text"', 'not-an-object'],
        ['42', 'not-an-object'],
        ['true', 'not-an-object'],
    ])('when the body is %j then it throws MarketplacePayloadError %s', (body, reason) => {
        let error: unknown;
        try {
            parseMarketplaceCallback(body, meta);
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(MarketplacePayloadError);
        expect((error as MarketplacePayloadError).reason).toBe(reason);
        expect((error as MarketplacePayloadError).problems[0]?.path).toBe('$');
    });

    it('when the body is not valid UTF-8 then it never throws anything but the typed error', () => {
        const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
        expect(() => parseMarketplaceCallback(bytes, meta)).toThrow(MarketplacePayloadError);
    });
});

describe('parseMarketplaceCallback with Unicode', () => {
    it.each([
        ['CJK', '山田', '太郎', '株式会社コントソ'],
        ['RTL (Arabic)', 'محمد', 'العلي', 'شركة كونتوسو'],
        ['RTL (Hebrew)', 'דנה', 'כהן', 'חברה בע"מ'],
        ['combining marks', 'Zoe\u0308', 'Nguye\u0302\u0303n', 'Cafe\u0301 GmbH'],
        ['emoji', '🚀 Ana', 'Silva 👩‍💻', 'Rocket 🚀 Ltd'],
    ])('when names are %s then the original text is stored unchanged', (_kind, first, last, company) => {
        const lead = parseMarketplaceCallback(callback({ FirstName: first, LastName: last, Company: company }), meta);
        expect(lead.contact.firstName).toBe(first);
        expect(lead.contact.lastName).toBe(last);
        expect(lead.contact.company).toBe(company);
    });

    it('when the email has full-width characters then the matching form is NFKC and lower-cased, the original kept', () => {
        const lead = parseMarketplaceCallback(callback({ Email: 'ＡＮＡ@Contoso.COM ' }), meta);
        expect(lead.contact.email).toBe('ＡＮＡ@Contoso.COM ');
        expect(lead.contact.emailNormalised).toBe('ana@contoso.com');
        expect(lead.contact.emailDomain).toBe('contoso.com');
    });
});
