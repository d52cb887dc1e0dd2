import fc from 'fast-check';

import pipelineJson from '../../../config/pipeline.json';
import {
    decide,
    parseMarketplaceCallback,
    parseMarketplaceTableRow,
    parsePipelineConfig,
} from '../../../shared/domain';

/**
 * No body under the size limit may cost more than linear time (issue 18: a 120 KB email domain with 60,000 labels
 * took seconds and gigabytes in `suffixesOf`). Each property builds the same adversarial shape at two sizes, a
 * quarter and the whole of a 24,000-character field, and parses and decides both: linear code takes about 4 times as
 * long for the larger one, quadratic code 16 times (and, at this size, whole seconds). The comparison is a ratio of
 * best-of-three runs with a 25 ms floor, so machine speed and load do not decide it; the figures themselves are in
 * `bench/hostileInput.bench.ts`.
 */

const config = parsePipelineConfig(pipelineJson);
const meta = { receivedAt: '2026-11-21T06:00:00.000Z' };
/** Under the 32,000-character field cap, so a capped field cannot hide a quadratic path. */
const LARGE = 24_000;

/** Characters that parsers split, trim, fold or anchor on, plus letters that change under case folding and NFKC. */
const hostileUnit = fc
    .array(
        fc.constantFrom(
            ' ',
            '.',
            '@',
            '|',
            '-',
            '=',
            '&',
            '?',
            '{',
            '}',
            '[',
            ':',
            ',',
            ';',
            '"',
            '\\',
            '+',
            '(',
            '0',
            '9',
            'a',
            'Z',
            '_',
            'é',
            'e\u0301',
            'ß',
            'İ',
            'ı',
            'ﬀ',
            'ﷺ',
            '\u00a0',
            '\t',
            '部',
            '장',
            'MSFT_TEST_',
            'ředitel ',
            'müdür ',
            's.r.o.',
            'a.',
            '%',
            '\uFEFF',
            '\u200b',
        ),
        { minLength: 1, maxLength: 3 },
    )
    .map((parts) => parts.join(''));

const prefix = fc.constantFrom(
    '',
    'x@',
    'x@a',
    'SPZA-PLT|',
    'SPZA|a.',
    'AzureMarketplace',
    '{',
    '{"mktcmpid":"',
    '?',
    'a=',
    'Campaigns:',
    '+',
    '00',
    'CEO ',
    'Contoso ',
    ' ',
);
const suffix = fc.constantFrom('', 'x', ' ', '}', '.com', '.', '@', '|', '=', ' s.r.o.', ' x');

type Field = 'email' | 'title' | 'company' | 'phone' | 'country' | 'firstName' | 'leadSource' | 'actionCode';
type TopField = 'leadSource' | 'actionCode' | 'offerTitle' | 'description';
const contactFields: readonly Field[] = ['email', 'title', 'company', 'phone', 'country', 'firstName'];
const field = fc.constantFrom<Field | TopField>(
    ...contactFields,
    'leadSource',
    'actionCode',
    'offerTitle',
    'description',
);

function body(where: Field | TopField, value: string): string {
    const top = { LeadSource: 'SPZA-PLT|contoso.offer', ActionCode: 'PLT', OfferTitle: 'Offer', Description: 'Hi' };
    const contact: Record<string, string> = { Email: 'a@contoso.com', Title: 'CEO', Company: 'Contoso' };
    const key = where[0]!.toUpperCase() + where.slice(1);
    if ((contactFields as readonly string[]).includes(where)) contact[key] = value;
    else (top as Record<string, string>)[key] = value;
    return JSON.stringify({ UserDetails: contact, ...top });
}

function bestMs(run: () => void): number {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
        const started = process.hrtime.bigint();
        run();
        best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
    }
    return best;
}

function expectLinear(build: (size: number) => () => void): void {
    build(LARGE / 4)(); // warm-up: JIT and lazily built tables
    const small = bestMs(build(LARGE / 4));
    const large = bestMs(build(LARGE));
    expect(large).toBeLessThan(Math.max(25, 10 * small));
}

function repeatTo(unit: string, size: number): string {
    return unit.repeat(Math.max(1, Math.floor(size / unit.length)));
}

const decideBody = (text: string) => (): void => {
    decide(parseMarketplaceCallback(text, meta), config, meta.receivedAt);
};

describe('hostile input costs linear time', () => {
    it('when any field is a long run of a hostile unit between a prefix and a suffix then parse → decide is linear', () => {
        fc.assert(
            fc.property(field, prefix, hostileUnit, suffix, (where, pre, unit, post) => {
                expectLinear((size) => decideBody(body(where, pre + repeatTo(unit, size) + post)));
            }),
            { numRuns: 60 },
        );
    });

    it('when a run of one separator sits between two other characters in any field then parse → decide is linear', () => {
        // Every field × separator × edge, not a sample: `SPZA|x` + spaces + `x` made a lazy group's `\s*$` quadratic.
        const prefixes: Record<Field | TopField, readonly string[]> = {
            email: ['x@', 'x@a'],
            title: ['', 'CEO '],
            company: ['', 'Contoso '],
            phone: ['+', ''],
            country: [''],
            firstName: [''],
            leadSource: ['SPZA-PLT|', 'SPZA|', ''],
            actionCode: [''],
            offerTitle: [''],
            description: ['', '?a=', 'Campaigns:', '{"a":"'],
        };
        const units = [' ', '.', '@', '|', '-', '=', '&', ',', ':', ';', '\t', '\u00a0', '"', 'é'];
        for (const [where, list] of Object.entries(prefixes) as [Field | TopField, readonly string[]][]) {
            for (const pre of list) {
                for (const unit of units) {
                    for (const edge of ['x', '.']) {
                        expectLinear((size) => decideBody(body(where, `${pre}${edge}${repeatTo(unit, size)}${edge}`)));
                    }
                }
            }
        }
    });

    it('when the email domain has tens of thousands of labels or dots then classifying it is linear', () => {
        fc.assert(
            fc.property(fc.constantFrom('a.', '.', 'a..', 'xn--a.', '-.', 'ac.'), suffix, (unit, post) => {
                expectLinear((size) => decideBody(body('email', `x@${repeatTo(unit, size)}${post}`)));
            }),
            { numRuns: 20 },
        );
    });

    it('when the same key comes in thousands of casings, blank and filled, then reading the body is linear', () => {
        fc.assert(
            fc.property(
                fc.constantFrom('email', 'userdetails', 'leadsource', 'zzzzzzzzzzzzzzzz'),
                fc.boolean(),
                (key, blank) => {
                    const casings = (size: number): string => {
                        const parts: string[] = [];
                        let length = 0;
                        for (let i = 0; length < size; i++) {
                            let k = '';
                            for (let j = 0; j < key.length; j++)
                                k += (i >> j) % 2 === 1 ? key[j]!.toUpperCase() : key[j]!;
                            const value = blank && i % 2 === 0 ? ' '.repeat(64) : 'v';
                            const part = `${JSON.stringify(k + (i >= 2 ** key.length ? i : ''))}:${JSON.stringify(value)}`;
                            parts.push(part);
                            length += part.length + 1;
                        }
                        return `{${parts.join(',')}}`;
                    };
                    expectLinear((size) => decideBody(casings(size)));
                },
            ),
            { numRuns: 8 },
        );
    });

    it('when the description is campaign JSON or a query string with thousands of parameters then it is linear', () => {
        fc.assert(
            fc.property(fc.constantFrom('json', 'query', 'query-broken', 'campaigns'), (shape) => {
                const description = (size: number): string => {
                    const n = Math.floor(size / 8);
                    if (shape === 'json')
                        return JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])));
                    if (shape === 'query') return Array.from({ length: n }, (_, i) => `k${i}=v`).join('&');
                    if (shape === 'query-broken')
                        return `${Array.from({ length: n }, (_, i) => `k${i}=v`).join('&')} x`;
                    return `Campaigns: ${Array.from({ length: n }, (_, i) => `c${i}`).join(', ')}`;
                };
                expectLinear((size) => decideBody(body('description', description(size))));
            }),
            { numRuns: 4 },
        );
    });

    it('when a table row carries a hostile CustomerInfo then parse → decide is linear', () => {
        fc.assert(
            fc.property(fc.constantFrom<Field>(...contactFields), prefix, hostileUnit, (where, pre, unit) => {
                expectLinear((size) => () => {
                    const key = where[0]!.toUpperCase() + where.slice(1);
                    const info = JSON.stringify({
                        [key]: pre + repeatTo(unit, size),
                        Email: where === 'email' ? undefined : 'a@b.cz',
                    });
                    const row = { PartitionKey: 'p', RowKey: 'r', CustomerInfo: info, LeadSource: 'SPZA-PLT|a.b' };
                    decide(parseMarketplaceTableRow(row, meta), config, meta.receivedAt);
                });
            }),
            { numRuns: 20 },
        );
    });
});
