import { MarketplacePayloadError, parseMarketplaceCallback } from '../../../shared/domain';
import { FIELD_CHAR_CAP, TRUNCATION_MARKER } from '../../../shared/domain/text';
import { callback, receivedAt, sampleBytes } from './support/samples';

const meta = { receivedAt };

describe('parseMarketplaceCallback size caps', () => {
    it('when the description is huge then it is capped with a marker and its length recorded', () => {
        const huge = 'x'.repeat(200_000);
        const lead = parseMarketplaceCallback(callback({}, { Description: huge }), meta);
        expect(lead.description.raw!.length).toBe(FIELD_CHAR_CAP);
        expect(lead.description.raw!.endsWith(TRUNCATION_MARKER)).toBe(true);
        expect(lead.truncatedFields).toEqual({ 'description.raw': 200_000, 'description.notes': 200_000 });
    });

    it('when a capped field would end inside a surrogate pair then the pair is not split', () => {
        const emoji = '😀'.repeat(FIELD_CHAR_CAP);
        const lead = parseMarketplaceCallback(callback({ Company: emoji }), meta);
        const stored = lead.contact.company!;
        expect(stored.length).toBeLessThanOrEqual(FIELD_CHAR_CAP);
        expect(stored.slice(0, -TRUNCATION_MARKER.length)).toMatch(/^(?:😀)+$/u);
        expect(lead.truncatedFields['contact.company']).toBe(emoji.length);
    });

    it('when two huge descriptions differ only after the cap then their lead keys still differ', () => {
        const a = parseMarketplaceCallback(callback({}, { Description: `${'x'.repeat(100_000)}a` }), meta);
        const b = parseMarketplaceCallback(callback({}, { Description: `${'x'.repeat(100_000)}b` }), meta);
        expect(a.description.raw).toBe(b.description.raw);
        expect(a.leadKey).not.toBe(b.leadKey);
    });
});

describe('parseMarketplaceCallback with hostile input', () => {
    it('when keys are __proto__, constructor or prototype then nothing is polluted and they are recorded as unknown', () => {
        const body =
            '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' +
            '"UserDetails":{"__proto__":{"polluted":"yes"},"Email":"ana@contoso.com","toString":"x"},' +
            '"Description":"{\\"__proto__\\":{\\"polluted\\":\\"yes\\"},\\"mktcmpid\\":\\"abc\\"}"}';
        const lead = parseMarketplaceCallback(body, meta);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
        expect(lead.contact.email).toBe('ana@contoso.com');
        expect(lead.unknownKeys).toEqual(['__proto__', 'constructor', 'userDetails.__proto__', 'userDetails.toString']);
        expect(lead.description.campaign?.mktcmpid).toBe('abc');
        expect(Object.getPrototypeOf(lead.description.campaign!.params)).toBe(Object.prototype);
        expect(JSON.parse(JSON.stringify(lead))).toEqual(lead);
    });

    it('when the JSON is nested 100 000 levels deep then it is a lead or a typed error, never a crash', () => {
        const deep = `{"UserDetails":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
        let result: unknown;
        try {
            result = parseMarketplaceCallback(deep, meta);
        } catch (e) {
            result = e;
        }
        if (result instanceof Error) expect(result).toBeInstanceOf(MarketplacePayloadError);
        else
            expect((result as { problems?: unknown }).problems).toEqual([
                { field: 'userDetails', problem: 'expected an object, got array' },
            ]);
    });

    it('when the body has thousands of unknown keys then 50 names and a count are recorded', () => {
        const body = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`junk${i}`, i]));
        const lead = parseMarketplaceCallback(JSON.stringify(body), meta);
        expect(lead.unknownKeys).toHaveLength(51);
        expect(lead.unknownKeys[50]).toBe('…(+4950 more)');
    });

    it('when a key name is enormous then only a short prefix is recorded', () => {
        const lead = parseMarketplaceCallback(JSON.stringify({ ['k'.repeat(10_000)]: 1 }), meta);
        expect(lead.unknownKeys[0]!.length).toBeLessThanOrEqual(64);
    });

    it('when values contain control characters, script tags and SQL then they are kept as text', () => {
        const nasty = "<script>alert(1)</script>'; DROP TABLE leads;--\u0000\u001b[31m";
        const lead = parseMarketplaceCallback(callback({ Company: nasty }), meta);
        expect(lead.contact.company).toBe(nasty);
    });
});

describe('parseMarketplaceCallback unknown keys', () => {
    it('when the payload carries keys the parser does not know then their names (not values) are recorded', () => {
        const lead = parseMarketplaceCallback(sampleBytes('https-disposable-unknown-action.json'), meta);
        expect(lead.unknownKeys).toEqual(['surpriseField']);
        expect(JSON.stringify(lead.unknownKeys)).not.toContain('nested');
    });
});
