import {
    decide,
    type Lead,
    parseMarketplaceCallback,
    parseMarketplaceTableRow,
    parsePipelineConfig,
    type PipelineConfig,
} from '../../../shared/domain';
import {
    callback,
    defaultConfig,
    defaultConfigJson,
    type EditableJson,
    receivedAt,
    sampleBytes,
    sampleJson,
} from './support/samples';

const config = defaultConfig();
const now = '2026-11-21T06:05:00.000Z';
const parse = (body: string | Buffer): Lead => parseMarketplaceCallback(body, { receivedAt });
const qualify = (lead: Lead, c: PipelineConfig) => decide(lead, c, now).qualification;
const score = (lead: Lead, c: PipelineConfig) => decide(lead, c, now).score;
const route = (lead: Lead, c: PipelineConfig, at: string) => decide(lead, c, at).route;
const delivered = (lead: Lead, c = config): string[] =>
    decide(lead, c, now)
        .route.targets.filter((t) => t.skippedReason === undefined)
        .map((t) => t.target);

describe('decide with the default config', () => {
    it('when a director at a corporate domain presses Contact me then it is qualified, grade A, and reaches CRMs and Teams', () => {
        const decision = decide(parse(sampleBytes('marketplace/https-camelcase-contact-me.json')), config, now);
        expect(decision.configVersion).toBe(config.version);
        expect(decision.decidedAt).toBe(now);
        expect(decision.qualification).toEqual({
            outcome: 'qualified',
            reasons: [{ ruleId: 'builtin.qualified', description: 'No qualification rule matched' }],
        });
        expect(decision.score.grade).toBe('A');
        expect(decision.score.breakdown.map((b) => b.ruleId)).toEqual([
            'intent-contact-me',
            'email-corporate',
            'title-director',
            'company-given',
            'phone-given',
            'notes-given',
            'country-recognised',
            'region-served',
        ]);
        expect(decision.score.points).toBe(decision.score.breakdown.reduce((s, b) => s + b.points, 0));
        expect(decision.route.mode).toBe('all-matching');
        expect(decision.route.usedDefault).toBe(false);
        expect(decision.route.matchedRules.map((r) => r.ruleId)).toEqual(['hot-lead-alert', 'crm-qualified']);
        expect(decision.route.targets).toEqual([
            { target: 'salesTeams', role: 'notify', matchedRules: ['hot-lead-alert'] },
            { target: 'leadWebhook', role: 'notify', matchedRules: ['hot-lead-alert', 'crm-qualified'] },
            { target: 'dynamics', role: 'outreach', matchedRules: ['crm-qualified'] },
            { target: 'salesforce', role: 'outreach', matchedRules: ['crm-qualified'] },
            { target: 'hubspot', role: 'outreach', matchedRules: ['crm-qualified'] },
            { target: 'marketo', role: 'outreach', matchedRules: ['crm-qualified'] },
        ]);
    });

    it('when the lead is a marketplace test lead then it is "test", routed nowhere', () => {
        for (const lead of [
            parse(sampleBytes('marketplace/https-test-lead.json')),
            parseMarketplaceTableRow(sampleJson('marketplace/table-row-test-lead.json'), { receivedAt }),
        ]) {
            const decision = decide(lead, config, now);
            expect(decision.qualification.outcome).toBe('test');
            expect(decision.qualification.reasons[0]?.ruleId).toBe('builtin.test-lead');
            expect(decision.route.targets).toEqual([]);
            expect(decision.route.matchedRules).toEqual([]);
        }
    });

    it('when the action is DNC then outreach targets are skipped with the reason and notify targets still get it', () => {
        const decision = decide(parse(sampleBytes('https-dnc-partner.json')), config, now);
        expect(decision.qualification.outcome).toBe('do-not-contact');
        expect(decision.qualification.reasons.map((r) => r.ruleId)).toEqual(['builtin.do-not-contact']);
        const outreach = decision.route.targets.filter((t) => t.role === 'outreach');
        expect(outreach.length).toBeGreaterThan(0);
        for (const t of outreach)
            expect(t.skippedReason).toBe('do-not-contact: outreach targets never receive this lead');
        expect(delivered(parse(sampleBytes('https-dnc-partner.json')))).toEqual(['salesTeams', 'leadWebhook']);
    });

    it('when the lead has no email and no phone then it is incomplete and only notify targets get it', () => {
        const decision = decide(parse(sampleBytes('https-edu-no-contact.json')), config, now);
        expect(decision.qualification).toEqual({
            outcome: 'incomplete',
            reasons: [{ ruleId: 'no-contact-details', description: expect.stringContaining('No email and no phone') }],
        });
        expect(delivered(parse(sampleBytes('https-edu-no-contact.json')))).toEqual(['salesTeams', 'leadWebhook']);
        expect(decision.route.targets.find((t) => t.target === 'dynamics')?.skippedReason).toBe(
            'incomplete: outreach targets do not receive this outcome (qualification.deliverTo)',
        );
    });

    it('when the email is disposable then it is disqualified by that rule and takes the default route', () => {
        const decision = decide(parse(sampleBytes('https-disposable-unknown-action.json')), config, now);
        expect(decision.qualification.outcome).toBe('disqualified');
        expect(decision.qualification.reasons.map((r) => r.ruleId)).toEqual(['disposable-email']);
        expect(decision.route.usedDefault).toBe(true);
        expect(decision.route.targets).toEqual([{ target: 'leadWebhook', role: 'notify', matchedRules: ['default'] }]);
    });

    it('when the email domain is on the competitor list then it is disqualified by "competitor-domain"', () => {
        const json = defaultConfigJson() as EditableJson;
        json.qualification.rules[1].when = { in: [{ var: 'emailDomain' }, ['rival.example']] };
        const decision = decide(parse(callback({ Email: 'spy@Rival.Example' })), parsePipelineConfig(json), now);
        expect(decision.qualification.outcome).toBe('disqualified');
        expect(decision.qualification.reasons.map((r) => r.ruleId)).toEqual(['competitor-domain']);
    });

    it('when several rules match then every one is listed and the most restrictive outcome wins', () => {
        const lead = parse(callback({ Email: 'x@mailinator.com', Phone: '' }, { ActionCode: 'DNC' }));
        const q = qualify(lead, config);
        expect(q.outcome).toBe('do-not-contact');
        expect(q.reasons.map((r) => r.ruleId)).toEqual(['builtin.do-not-contact', 'disposable-email']);
    });

    it('when a test lead is also DNC then it stays a test lead', () => {
        const lead = parse(callback({ FirstName: 'MSFT_TEST_1' }, { ActionCode: 'DNC' }));
        expect(qualify(lead, config).outcome).toBe('test');
    });

    it('when a free-mail lead with no title installs then the breakdown shows the free-mail penalty', () => {
        const s = score(parse(sampleBytes('https-mixed-free-mail-de.json')), config);
        expect(s.breakdown).toContainEqual({ ruleId: 'email-free', description: expect.any(String), points: -10 });
        expect(s.breakdown.map((b) => b.ruleId)).toContain('intent-test-drive');
        expect(s.breakdown.map((b) => b.ruleId)).toContain('title-director');
    });

    it.each([
        ['INS', 'intent-install'],
        ['PLT', 'intent-contact-me'],
        ['Create', 'intent-purchase'],
        ['StartTestDrive', 'intent-test-drive'],
        ['FreeTrial', 'intent-trial'],
    ])('when the action code is %s then %s gives points', (code, ruleId) => {
        const s = score(parse(callback({}, { ActionCode: code })), config);
        expect(s.breakdown.filter((b) => b.ruleId.startsWith('intent-')).map((b) => b.ruleId)).toEqual([ruleId]);
    });

    it('when the action code is unknown then no intent points are given and it is still qualified', () => {
        const lead = parse(callback({}, { ActionCode: 'SomethingNew', LeadSource: 'AzureMarketplace' }));
        const d = decide(lead, config, now);
        expect(d.score.breakdown.some((b) => b.ruleId.startsWith('intent-'))).toBe(false);
        expect(d.qualification.outcome).toBe('qualified');
        expect(lead.action).toEqual({ code: 'SomethingNew', meaning: 'unknown' });
    });

    it('when the lead came through a campaign then campaign points are given', () => {
        const s = score(parse(sampleBytes('https-pascal-campaign.json')), config);
        expect(s.breakdown.map((b) => b.ruleId)).toEqual(
            expect.arrayContaining(['campaign-tracked', 'title-c-level', 'intent-purchase']),
        );
    });

    it('when the score is low then the default grade applies', () => {
        const lead = parse(JSON.stringify({ userDetails: { email: 'a@gmail.com' } }));
        expect(score(lead, config).grade).toBe('D');
    });

    it('when `now` is a Date then decidedAt is its ISO form', () => {
        expect(decide(parse(callback()), config, new Date(now)).decidedAt).toBe(now);
    });

    it('when decide runs twice on the same input then the decisions are identical (pure)', () => {
        const lead = parse(callback());
        expect(decide(lead, config, now)).toEqual(decide(lead, config, now));
        expect(route(lead, config, now)).toEqual(decide(lead, config, now).route);
    });

    it('when the config went through JSON (a durable activity input) then decisions are the same', () => {
        const copy = JSON.parse(JSON.stringify(config)) as typeof config;
        const lead = parse(callback());
        expect(decide(lead, copy, now)).toEqual(decide(lead, config, now));
    });
});
