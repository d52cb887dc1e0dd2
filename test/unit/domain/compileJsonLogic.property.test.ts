import fc from 'fast-check';
import jsonLogic, { type RulesLogic } from 'json-logic-js';

import { compileJsonLogic } from '../../../shared/domain/compileJsonLogic';

const factNames = ['action', 'countryCode', 'points', 'hasPhone', 'grade', 'missing'] as const;
const facts = fc.record({
    action: fc.constantFrom('install', 'contact-me', ''),
    countryCode: fc.constantFrom('US', 'DE', ''),
    points: fc.oneof(fc.integer({ min: -50, max: 150 }), fc.constant(0)),
    hasPhone: fc.boolean(),
    grade: fc.oneof(fc.constantFrom('A', 'B', 'D'), fc.constant(null)),
});

const leaf: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(...factNames).map((name) => ({ var: name })),
    fc.tuple(fc.constantFrom(...factNames), fc.constantFrom('x', 0, true)).map(([n, d]) => ({ var: [n, d] })),
    fc.constantFrom('install', 'US', 'A', '', 0, 1, 60, true, false, null),
    fc.constant(['US', 'DE', 'A']),
    fc.constant([]),
);

const { logic } = fc.letrec<{ logic: unknown }>((tie) => ({
    logic: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc
            .tuple(fc.constantFrom('==', '===', '!=', '!==', '>', '>=', '<', '<=', 'in'), tie('logic'), tie('logic'))
            .map(([op, a, b]) => ({ [op]: [a, b] })),
        fc.tuple(fc.constantFrom('!', '!!'), tie('logic')).map(([op, a]) => ({ [op]: [a] })),
        fc.tuple(fc.constantFrom('!', '!!'), tie('logic')).map(([op, a]) => ({ [op]: a })),
        fc
            .tuple(fc.constantFrom('and', 'or'), fc.array(tie('logic'), { minLength: 1, maxLength: 4 }))
            .map(([op, a]) => ({ [op]: a })),
        fc.tuple(tie('logic'), tie('logic'), tie('logic')).map(([a, b, c]) => ({ if: [a, b, c] })),
        fc.tuple(tie('logic'), tie('logic')).map(([a, b]) => ({ '+': [a, b] })),
    ),
}));

describe('compileJsonLogic', () => {
    it('when any generated condition is evaluated then compiled and json-logic-js results are identical', () => {
        fc.assert(
            fc.property(logic, facts, (rule, data) => {
                const expected: unknown = jsonLogic.apply(rule as RulesLogic, data);
                const actual = compileJsonLogic(rule as RulesLogic)(data);
                expect(actual).toEqual(expected);
            }),
            { numRuns: 5000 },
        );
    });

    it.each([
        [{ in: ['', { var: 'action' }] }, { action: '' }],
        [{ in: [[], { var: 'countryCode' }] }, { countryCode: '' }],
        [{ in: ['', ''] }, {}],
    ])('when `in` searches an empty string (%j) then it is false, as in json-logic-js', (rule, data) => {
        expect(compileJsonLogic(rule as RulesLogic)(data)).toBe(false);
        expect(jsonLogic.apply(rule as RulesLogic, data)).toBe(false);
    });

    it('when a var names a missing fact then the default (or null) comes back, as in json-logic-js', () => {
        expect(compileJsonLogic({ var: ['nope', 'fallback'] })({})).toBe('fallback');
        expect(compileJsonLogic({ var: 'nope' })({})).toBeNull();
    });
});
