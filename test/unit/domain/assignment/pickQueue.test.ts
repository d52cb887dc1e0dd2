import { decide, parseMarketplaceCallback, parsePipelineConfig } from '../../../../shared/domain';
import { defaultConfigJson } from '../support/samples';

const lead = (email: string, extra: Record<string, unknown> = {}) =>
    parseMarketplaceCallback(
        JSON.stringify({
            userDetails: { email, firstName: 'Ada', lastName: 'Lovelace', company: 'Contoso', country: 'DE' },
            actionCode: 'PLT',
            offerTitle: 'Analytics',
            ...extra,
        }),
        { receivedAt: '2026-12-01T09:00:00.000Z' },
    );

function config(outcomes?: string[]) {
    return parsePipelineConfig({
        ...defaultConfigJson(),
        assignment: {
            enabled: true,
            ...(outcomes === undefined ? {} : { outcomes }),
            people: { p: { displayName: 'P' } },
            queues: {
                emea: { members: ['p'], strategy: 'round-robin' },
                rest: { members: ['p'], strategy: 'round-robin' },
            },
            rules: [{ id: 'emea', description: 'EMEA', when: { '==': [{ var: 'region' }, 'EMEA'] }, queue: 'emea' }],
            defaultQueue: 'rest',
        },
    });
}

describe('the queue in the decision', () => {
    it('is the first matching rule’s, else the default queue', () => {
        expect(decide(lead('ada@contoso.com'), config(), '2026-12-01T09:00:00Z').queue).toEqual({
            queue: 'emea',
            ruleId: 'emea',
        });
        const us = lead('ada@contoso.com', {
            userDetails: { email: 'ada@contoso.com', lastName: 'L', company: 'C', country: 'US' },
        });
        expect(decide(us, config(), '2026-12-01T09:00:00Z').queue).toEqual({ queue: 'rest', ruleId: 'default' });
    });

    it('is given only to the outcomes the section names: qualified by default', () => {
        const disposable = lead('ada@mailinator.com');
        expect(decide(disposable, config(), '2026-12-01T09:00:00Z').qualification.outcome).toBe('disqualified');
        expect(decide(disposable, config(), '2026-12-01T09:00:00Z').queue).toBeUndefined();
        expect(decide(disposable, config(['qualified', 'disqualified']), '2026-12-01T09:00:00Z').queue).toBeDefined();
    });

    it('is absent while assignment is off, as in the shipped example', () => {
        const shipped = parsePipelineConfig(defaultConfigJson());
        expect(decide(lead('ada@contoso.com'), shipped, '2026-12-01T09:00:00Z').queue).toBeUndefined();
    });
});
