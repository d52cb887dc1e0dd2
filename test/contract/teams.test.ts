import { createTeamsTarget } from '../../shared/adapters/teams/createTeamsTarget';
import { ConfigError, PermanentError, TransientError } from '../../shared/domain/errors';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import { type FakeTeams, startFakeTeams } from './fakes/startFakeTeams';
import type { FakeServer } from './support/fakeServer';
import { expectNoPersonalData, makeDecision, makeDeps, makeLead, makeRequest, personalData } from './support/fixtures';

const config = (extra: Record<string, unknown> = {}): TargetConfig => ({
    type: 'teams',
    role: 'notify',
    enabled: 'auto',
    options: { webhookUrl: '%TEAMS_URL%', ...extra },
});

/** Against the fake Workflows webhook in `fakes/startFakeTeams.ts` (202 accepted, 429, legacy 200 + 429 text, 404). */
describe('Teams target against a fake Workflows webhook', () => {
    let teams: FakeTeams;
    let server: FakeServer;
    beforeAll(async () => {
        teams = await startFakeTeams();
        server = teams.server;
    });
    afterAll(() => server.close());
    beforeEach(() => {
        teams.mode = 'ok';
        server.requests.length = 0;
    });
    const deps = () => makeDeps({ TEAMS_URL: `${server.url}/workflows/abc/triggers/manual/paths/invoke?sig=s3cret` });

    it('when a lead is routed here, then an adaptive card with grade, score, offer, action, company and the rule is posted', async () => {
        const d = deps();
        const result = await createTeamsTarget('salesTeams', config(), d).deliver(makeRequest('sales'));
        expect(result).toEqual({ action: 'sent', status: 202 });
        const post = server.requests[0]!;
        expect(post.method).toBe('POST');
        expect(post.path).toBe('/workflows/abc/triggers/manual/paths/invoke?sig=s3cret');
        expect(post.headers['content-type']).toBe('application/json');
        const card = post.json.attachments[0].content;
        expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
        expect(card.body[0].text).toBe('Marketplace lead: grade A (72 points)');
        const facts = Object.fromEntries(
            card.body[1].facts.map((f: { title: string; value: string }) => [f.title, f.value]),
        );
        expect(facts).toMatchObject({
            Offer: 'Contoso Analytics',
            Action: 'INS',
            Company: 'Contoso',
            Score: '72',
            Grade: 'A',
            'Routed by': 'grade-a-to-sales (A leads go to sales)',
        });
        for (const value of personalData) expect(JSON.stringify(card)).not.toContain(value);
        expectNoPersonalData(JSON.stringify(d.logs));
    });

    it('when contact details are enabled and the lead is do-not-contact, then the card says so and shows the contact', async () => {
        const lead = makeLead({ action: { code: 'DNC', meaning: 'do-not-contact' } });
        await createTeamsTarget('t', config({ includeContact: true }), deps()).deliver(
            makeRequest('sales', { lead, decision: makeDecision() }),
        );
        const card = server.requests[0]!.json.attachments[0].content;
        expect(card.body[1].text).toBe('Do not contact: for information only.');
        expect(JSON.stringify(card)).toContain('ada@contoso.example');
    });

    it('when the webhook throttles, also behind a legacy 200 answer, then the error is transient', async () => {
        teams.mode = 'throttle';
        const error = (await createTeamsTarget('t', config(), deps())
            .deliver(makeRequest('sales'))
            .catch((e: unknown) => e)) as TransientError;
        expect(error).toBeInstanceOf(TransientError);
        expect(error.details).toMatchObject({ status: 429, retryAfterMs: 2000 });
        teams.mode = 'legacy-429';
        await expect(createTeamsTarget('t', config(), deps()).deliver(makeRequest('sales'))).rejects.toMatchObject({
            name: 'TransientError',
            details: { status: 429 },
        });
    });

    it('when the workflow was deleted, then the error is permanent and does not reveal the URL', async () => {
        teams.mode = 'gone';
        const error = (await createTeamsTarget('t', config(), deps())
            .deliver(makeRequest('sales'))
            .catch((e: unknown) => e)) as PermanentError;
        expect(error).toBeInstanceOf(PermanentError);
        expect(error.message).not.toContain('s3cret');
    });

    it('when the URL setting is missing, then building fails with a ConfigError; health does not post', async () => {
        expect(() => createTeamsTarget('t', config(), makeDeps({}))).toThrow(ConfigError);
        const health = await createTeamsTarget('t', config(), deps()).checkHealth(new Date());
        expect(health.ok).toBe(true);
        expect(server.requests).toHaveLength(0);
    });
});
