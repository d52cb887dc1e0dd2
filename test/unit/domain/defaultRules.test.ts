import { decide, type Lead, parseMarketplaceCallback, parsePipelineConfig } from '../../../shared/domain';
import { callback, defaultConfig, defaultConfigJson, type EditableJson, receivedAt } from './support/samples';

const config = defaultConfig();
const now = '2026-11-21T06:05:00.000Z';
const lead = (details: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Lead =>
    parseMarketplaceCallback(callback(details, top), { receivedAt });
const firedBy = (l: Lead, c = config): string[] => decide(l, c, now).score.breakdown.map((b) => b.ruleId);

describe('every default scoring rule, and the explanation it leaves', () => {
    it.each([
        ['email-corporate', {}, {}],
        ['email-free', { Email: 'ana@gmail.com' }, {}],
        ['email-education', { Email: 'ana@cs.stanford.edu' }, {}],
        ['title-c-level', { Title: 'CEO' }, {}],
        ['title-vp', { Title: 'VP Marketing' }, {}],
        ['title-director', { Title: 'Director, Cloud' }, {}],
        ['title-manager', { Title: 'Product Manager' }, {}],
        ['title-individual', { Title: 'Data Scientist' }, {}],
        ['company-given', {}, {}],
        ['phone-given', {}, {}],
        ['notes-given', {}, {}],
        ['country-recognised', { Country: 'Canada' }, {}],
        ['region-served', { Country: 'France' }, {}],
        ['campaign-tracked', {}, { Description: '{"mktcmpid":"q4-push"}' }],
    ])(
        'when the lead qualifies for %s then that rule is in the breakdown with its description',
        (ruleId, details, top) => {
            const breakdown = decide(lead(details, top), config, now).score.breakdown;
            const entry = breakdown.find((b) => b.ruleId === ruleId);
            const configured = config.scoring.rules.find((r) => r.id === ruleId)!;
            expect(entry).toEqual({ ruleId, description: configured.description, points: configured.points });
        },
    );

    it.each([
        ['company-given', { Company: '' }],
        ['phone-given', { Phone: '' }],
        ['country-recognised', { Country: 'Atlantis' }],
        ['region-served', { Country: 'Japan' }],
        ['email-corporate', { Email: 'ana@gmail.com' }],
    ])('when the lead lacks what %s needs then the rule gives nothing', (ruleId, details) => {
        expect(firedBy(lead(details))).not.toContain(ruleId);
    });

    it('when the description is notes then campaign-tracked gives nothing and notes-given does', () => {
        expect(firedBy(lead())).toEqual(expect.arrayContaining(['notes-given']));
        expect(firedBy(lead())).not.toContain('campaign-tracked');
    });

    it('when the priority-offer list names the offer then it gives points (the shipped list is empty)', () => {
        expect(firedBy(lead())).not.toContain('priority-offer');
        const json: EditableJson = defaultConfigJson();
        json.scoring.rules.find((r: { id: string }) => r.id === 'priority-offer').when = {
            in: [{ var: 'offerId' }, ['contoso-analytics']],
        };
        expect(firedBy(lead(), parsePipelineConfig(json))).toContain('priority-offer');
    });

    it('when the internal-domain list names the email domain then the lead is disqualified by it', () => {
        const json: EditableJson = defaultConfigJson();
        json.qualification.rules.find((r: { id: string }) => r.id === 'internal-domain').when = {
            in: [{ var: 'emailDomain' }, ['contoso.com']],
        };
        const q = decide(lead(), parsePipelineConfig(json), now).qualification;
        expect(q).toEqual({
            outcome: 'disqualified',
            reasons: [
                {
                    ruleId: 'internal-domain',
                    description: 'Our own staff trying the listing (list your own domains here)',
                },
            ],
        });
    });

    it('when grades are evaluated then each threshold gives its grade', () => {
        const json: EditableJson = defaultConfigJson();
        json.scoring.rules = [{ id: 'p', description: 'has a title', points: 1, when: { var: 'hasTitle' } }];
        json.scoring.grades = [
            { grade: 'C', minPoints: 1 },
            { grade: 'A', minPoints: 100 },
        ];
        const c = parsePipelineConfig(json);
        expect(decide(lead(), c, now).score).toEqual({
            points: 1,
            grade: 'C',
            breakdown: [{ ruleId: 'p', description: 'has a title', points: 1 }],
        });
        expect(decide(lead({ Title: '' }), c, now).score.grade).toBe('D');
    });
});
