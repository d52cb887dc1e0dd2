import { ConfigError, parsePipelineConfig } from '../../../shared/domain';
import { defaultConfigJson, type EditableJson } from './support/samples';

function problemsOf(json: unknown): { path: string; message: string }[] {
    try {
        parsePipelineConfig(json);
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
    throw new Error('expected a ConfigError');
}

type Json = EditableJson;

function edited(edit: (c: Json) => void): Json {
    const c = defaultConfigJson() as Json;
    edit(c);
    return c;
}

describe('parsePipelineConfig with the default config', () => {
    it('when config/pipeline.json is loaded then it is valid, versioned and lists one target of each type', () => {
        const config = parsePipelineConfig(defaultConfigJson());
        expect(config.version).toMatch(/\S/);
        expect(
            Object.values(config.targets)
                .map((t) => t.type)
                .sort(),
        ).toEqual(['dynamics365', 'hubspot', 'marketo', 'salesforce', 'teams', 'webhook']);
        expect(Object.values(config.targets).every((t) => t.enabled === 'auto')).toBe(true);
        expect(config.delivery).toEqual({
            maxAttempts: 8,
            firstRetryIntervalSeconds: 30,
            backoffCoefficient: 2,
            maxRetryIntervalSeconds: 3600,
            deadlineMinutes: 1440,
            timeoutSeconds: 30,
        });
    });

    it('when the default config is read then every target option is a %SETTING% reference or a plain field name', () => {
        const config = parsePipelineConfig(defaultConfigJson());
        for (const target of Object.values(config.targets)) {
            for (const [key, value] of Object.entries(target.options)) {
                if (key === 'externalIdField') continue;
                expect(value).toMatch(/^%[A-Z0-9_]+%$/);
            }
        }
    });
});

describe('parsePipelineConfig error reporting', () => {
    it('when several things are wrong then every problem is reported at once, each with its path', () => {
        const problems = problemsOf(
            edited((c) => {
                c.version = '';
                c.qualification.rules[0].outcome = 'maybe';
                c.scoring.rules[1].points = 'ten';
                c.scoring.rules[2].when = { '==': [{ var: 'emailDomainKlass' }, 'x'] };
                c.routing.mode = 'random';
                c.routing.rules[0].targets = ['salesTeams', 'ghost'];
                c.delivery.maxAttempts = 0;
                delete c.targets.hubspot.role;
            }),
        );
        const paths = problems.map((p) => p.path);
        expect(paths).toEqual(
            expect.arrayContaining([
                'version',
                'qualification.rules[0].outcome',
                'scoring.rules[1].points',
                'scoring.rules[2].when.==[0].var',
                'routing.mode',
                'routing.rules[0].targets[1]',
                'delivery.maxAttempts',
                'targets.hubspot.role',
            ]),
        );
        expect(problems.find((p) => p.path === 'scoring.rules[2].when.==[0].var')?.message).toContain(
            'unknown fact "emailDomainKlass"',
        );
        expect(problems.find((p) => p.path === 'routing.rules[0].targets[1]')?.message).toContain('"ghost"');
    });

    it('when the error is printed then its message lists every problem with its path', () => {
        let error: unknown;
        try {
            parsePipelineConfig(edited((c) => ((c.version = 1), (c.delivery.timeoutSeconds = -1))));
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toContain('version:');
        expect((error as Error).message).toContain('delivery.timeoutSeconds:');
    });

    it.each([[null], [[]], ['text'], [42]])('when the document is %j then it is a ConfigError at the root', (json) => {
        expect(problemsOf(json)[0]?.path).toBe('');
    });

    it('when rule ids repeat within a section then the duplicate is reported', () => {
        const problems = problemsOf(edited((c) => (c.scoring.rules[3].id = c.scoring.rules[0].id)));
        expect(problems).toEqual([{ path: 'scoring.rules[3].id', message: `duplicate rule id "intent-contact-me"` }]);
    });

    it('when the default route names an undefined target then it is reported', () => {
        expect(problemsOf(edited((c) => (c.routing.default.targets = ['nowhere'])))).toEqual([
            { path: 'routing.default.targets[0]', message: 'target "nowhere" is not defined in targets' },
        ]);
    });

    it('when a scoring rule uses the grade (only known when routing) then it is an unknown fact there', () => {
        const problems = problemsOf(edited((c) => (c.scoring.rules[0].when = { '==': [{ var: 'grade' }, 'A'] })));
        expect(problems[0]?.message).toContain('unknown fact "grade" for a scoring condition');
    });

    it('when a routing rule uses grade, points and qualification then it is valid', () => {
        expect(() =>
            parsePipelineConfig(
                edited(
                    (c) =>
                        (c.routing.rules[0].when = {
                            and: [
                                { '>=': [{ var: 'points' }, 10] },
                                { '==': [{ var: 'grade' }, 'A'] },
                                { var: 'qualification' },
                            ],
                        }),
                ),
            ),
        ).not.toThrow();
    });

    it.each([
        [{ log: 'x' }, 'disallowed JsonLogic operator "log"'],
        [{ method: [{ var: 'offerTitle' }, 'toUpperCase'] }, 'disallowed JsonLogic operator "method"'],
        [{ '==': [1, 1], '!=': [1, 2] }, 'exactly one key'],
        [{ var: 'constructor' }, 'unknown fact "constructor"'],
        [{ var: '__proto__' }, 'unknown fact "__proto__"'],
        [{ var: 'contact.email' }, 'unknown fact "contact.email"'],
        [{ missing: ['hasPhone', 'nope'] }, 'unknown fact "nope"'],
        ['always', 'a condition is a JsonLogic object or true/false'],
    ])('when a condition is %j then it is rejected (%s)', (when, message) => {
        const problems = problemsOf(edited((c) => (c.qualification.rules[0].when = when)));
        expect(problems.map((p) => p.message).join('\n')).toContain(message);
        expect(problems[0]?.path.startsWith('qualification.rules[0].when')).toBe(true);
    });

    it('when an array operator uses element vars then they are not checked against the facts', () => {
        const when = { some: [['a', 'b'], { '==': [{ var: '' }, 'a'] }] };
        expect(() => parsePipelineConfig(edited((c) => (c.qualification.rules[0].when = when)))).not.toThrow();
    });

    it('when a condition is nested absurdly deep then it is rejected instead of overflowing', () => {
        let when: unknown = true;
        for (let i = 0; i < 100; i++) when = { '!': [when] };
        expect(problemsOf(edited((c) => (c.qualification.rules[0].when = when)))[0]?.message).toContain(
            'nested too deeply',
        );
    });

    it('when a target option holds a literal secret then it is rejected', () => {
        const problems = problemsOf(edited((c) => (c.targets.hubspot.options.token = 'pat-na1-12345')));
        expect(problems).toEqual([
            {
                path: 'targets.hubspot.options.token',
                message: 'secrets are never written in the config: reference a setting as "%SETTING_NAME%"',
            },
        ]);
    });

    it('when a target has an unknown type or extra property then it is reported with its path', () => {
        const problems = problemsOf(
            edited((c) => ((c.targets.hubspot.type = 'pipedrive'), (c.targets.hubspot.colour = 'red'))),
        );
        expect(problems.map((p) => p.path).sort()).toEqual(['targets.hubspot', 'targets.hubspot.type']);
    });

    it('when DNC is configured to reach outreach targets then it is rejected', () => {
        const problems = problemsOf(
            edited((c) => (c.qualification.deliverTo['do-not-contact'] = ['notify', 'outreach'])),
        );
        expect(problems[0]?.path).toBe('qualification.deliverTo.do-not-contact[1]');
    });

    it('when a qualification rule tries to produce "test" or "qualified" then it is rejected (those are not configurable)', () => {
        expect(problemsOf(edited((c) => (c.qualification.rules[0].outcome = 'test')))[0]?.path).toBe(
            'qualification.rules[0].outcome',
        );
    });
});

describe('parsePipelineConfig condition details', () => {
    it.each([
        [{ missing_some: [1, ['hasPhone', 'typo']] }, 'unknown fact "typo"'],
        [{ var: 42 }, 'unknown fact number'],
        [{ var: [{ var: 'action' }] }, 'unknown fact object'],
    ])('when a condition is %j then the problem names it (%s)', (when, message) => {
        const c: EditableJson = defaultConfigJson();
        c.routing.rules[0].when = when;
        expect(
            problemsOf(c)
                .map((p) => p.message)
                .join('\n'),
        ).toContain(message);
    });

    it('when conditions use missing_some, if and arithmetic over known facts then they are accepted', () => {
        const c: EditableJson = defaultConfigJson();
        c.routing.rules[0].when = {
            if: [
                { missing_some: [1, ['hasPhone', 'hasEmail']] },
                false,
                { '>': [{ '+': [{ var: 'points' }, 5] }, 50] },
            ],
        };
        expect(() => parsePipelineConfig(c)).not.toThrow();
    });
});
