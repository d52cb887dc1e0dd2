import { decide, type Lead, parseMarketplaceCallback, parsePipelineConfig } from '../../../shared/domain';
import {
    callback,
    defaultConfig,
    defaultConfigJson,
    type EditableJson,
    receivedAt,
    sampleBytes,
} from './support/samples';

const config = defaultConfig();
const now = '2026-11-21T06:05:00.000Z';
const parse = (body: string | Buffer): Lead => parseMarketplaceCallback(body, { receivedAt });

describe('routing modes and target availability', () => {
    const json = (): EditableJson => {
        const c = defaultConfigJson() as EditableJson;
        c.routing = {
            mode: 'first-match',
            rules: [
                {
                    id: 'emea',
                    description: 'EMEA to Dynamics',
                    when: { '==': [{ var: 'region' }, 'EMEA'] },
                    targets: ['dynamics'],
                },
                {
                    id: 'grade-a',
                    description: 'A leads to Salesforce',
                    when: { '==': [{ var: 'grade' }, 'A'] },
                    targets: ['salesforce', 'salesTeams'],
                },
                {
                    id: 'appsource',
                    description: 'AppSource to HubSpot',
                    when: { '==': [{ var: 'source' }, 'AppSource'] },
                    targets: ['hubspot'],
                },
            ],
            default: { targets: ['marketo'] },
        };
        return c;
    };

    it('when the mode is first-match then only the first matching rule routes', () => {
        const c = parsePipelineConfig(json());
        const lead = parse(callback({ Country: 'Germany', Title: 'CEO' }));
        const r = decide(lead, c, now).route;
        expect(r.matchedRules.map((m) => m.ruleId)).toEqual(['emea']);
        expect(r.targets).toEqual([{ target: 'dynamics', role: 'outreach', matchedRules: ['emea'] }]);
    });

    it('when the mode is all-matching then every matching rule routes and shared targets list each rule', () => {
        const j = json();
        j.routing.mode = 'all-matching';
        j.routing.rules[2].targets = ['hubspot', 'salesTeams'];
        const c = parsePipelineConfig(j);
        const r = decide(parse(callback({ Country: 'Germany', Title: 'CEO' })), c, now).route;
        expect(r.matchedRules.map((m) => m.ruleId)).toEqual(['emea', 'grade-a', 'appsource']);
        expect(r.targets.map((t) => [t.target, t.matchedRules])).toEqual([
            ['dynamics', ['emea']],
            ['salesforce', ['grade-a']],
            ['salesTeams', ['grade-a', 'appsource']],
            ['hubspot', ['appsource']],
        ]);
    });

    it('when no rule matches then the default route is used and recorded', () => {
        const c = parsePipelineConfig(json());
        const lead = parse(callback({ Country: 'Japan', Title: '' }, { LeadSource: 'AzureMarketplace' }));
        const r = decide(lead, c, now).route;
        expect(r.usedDefault).toBe(true);
        expect(r.matchedRules).toEqual([]);
        expect(r.targets).toEqual([{ target: 'marketo', role: 'outreach', matchedRules: ['default'] }]);
    });

    it('when a routed target is disabled in the config then it stays in the route with a reason', () => {
        const j = json();
        j.targets.dynamics.enabled = false;
        const r = decide(parse(callback({ Country: 'France' })), parsePipelineConfig(j), now).route;
        expect(r.targets).toEqual([
            {
                target: 'dynamics',
                role: 'outreach',
                matchedRules: ['emea'],
                skippedReason: 'target disabled in config',
            },
        ]);
    });

    it('when availableTargets is given then routed targets missing from it are skipped', () => {
        const r = decide(parse(sampleBytes('marketplace/https-camelcase-contact-me.json')), config, now, {
            availableTargets: new Set(['leadWebhook', 'hubspot']),
        }).route;
        expect(r.targets.filter((t) => t.skippedReason === undefined).map((t) => t.target)).toEqual([
            'leadWebhook',
            'hubspot',
        ]);
        expect(r.targets.find((t) => t.target === 'salesTeams')?.skippedReason).toContain('not configured');
    });

    it('when deliverTo lets disqualified leads reach nobody then every routed target is skipped', () => {
        const j = defaultConfigJson() as EditableJson;
        j.qualification.deliverTo.disqualified = [];
        const d = decide(parse(sampleBytes('https-disposable-unknown-action.json')), parsePipelineConfig(j), now);
        expect(d.route.targets.every((t) => t.skippedReason !== undefined)).toBe(true);
    });
});
