import { createTeamsTarget } from '../../shared/adapters/teams/createTeamsTarget';
import { ConfigError, PermanentError, TransientError } from '../../shared/domain/errors';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import type { RateBudget, RateGovernor } from '../../shared/ports/RateGovernor';
import { InMemoryRateGovernor } from '../fakes/InMemoryRateGovernor';
import { type FakeTeams, startFakeTeams } from './fakes/startFakeTeams';
import type { FakeServer } from './support/fakeServer';
import { expectNoPersonalData, makeDecision, makeDeps, makeLead, makeRequest, personalData } from './support/fixtures';

const config = (extra: Record<string, unknown> = {}): TargetConfig => ({
    type: 'teams',
    role: 'notify',
    enabled: 'auto',
    options: { webhookUrl: '%TEAMS_URL%', ...extra },
});
const facts = (card: { body: { facts?: { title: string; value: string }[] }[] }) =>
    Object.fromEntries(card.body.flatMap((b) => b.facts ?? []).map((f) => [f.title, f.value]));

/** Against the fake Workflows webhook in `fakes/startFakeTeams.ts` (202 accepted, 429 past a window, 404). */
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
        teams.throttled = 0;
        teams.cards.length = 0;
        teams.acceptedAt.length = 0;
        server.requests.length = 0;
    });
    const url = () => `${server.url}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=s3cret`;
    const deps = (extra = {}) => makeDeps({ TEAMS_URL: url() }, extra);

    it('when a lead is routed here, then an adaptive card with grade, score, offer, action, company, owner and the rule is posted', async () => {
        const d = deps();
        const owner = { personId: 'jana', displayName: 'Jana Novak', id: '81234567' };
        const result = await createTeamsTarget('salesTeams', config(), d).deliver(makeRequest('sales', { owner }));
        expect(result).toMatchObject({ action: 'sent', status: 202 });
        expect(result.note).toContain('run history');
        const post = server.requests[0]!;
        expect(post.method).toBe('POST');
        expect(post.path).toBe('/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=s3cret');
        expect(post.headers['content-type']).toBe('application/json');
        const card = post.json.attachments[0].content;
        expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
        expect(card.body[0].text).toBe('Marketplace lead: grade A (72 points)');
        expect(facts(card)).toMatchObject({
            Offer: 'Contoso Analytics',
            Action: 'INS',
            Company: 'Contoso',
            Score: '72',
            Grade: 'A',
            Owner: 'Jana Novak',
            'Routed by': 'grade-a-to-sales (A leads go to sales)',
        });
        for (const value of personalData) expect(JSON.stringify(card)).not.toContain(value);
        expectNoPersonalData(JSON.stringify(d.logs));
    });

    it('when the lead’s CRM records are known and links are configured, then the card has a button to each', async () => {
        const recordLinks = {
            salesforce: 'https://contoso.lightning.force.com/lightning/r/Lead/{id}/view',
            dynamics: 'https://contoso.crm.dynamics.com/main.aspx?etn=lead&pagetype=entityrecord&id={id}',
        };
        const related = [
            { target: 'salesforce', externalId: '00Q000000000001AAA' },
            { target: 'hubspot', externalId: '1001' },
        ];
        await createTeamsTarget('t', config({ recordLinks }), deps()).deliver(makeRequest('sales', { related }));
        const card = teams.cards[0] as { actions: unknown[] };
        expect(card.actions).toEqual([
            {
                type: 'Action.OpenUrl',
                title: 'Open in salesforce',
                url: 'https://contoso.lightning.force.com/lightning/r/Lead/00Q000000000001AAA/view',
            },
        ]);
        expect(() => createTeamsTarget('t', config({ recordLinks: { x: 'http://no-id' } }), deps())).toThrow(
            ConfigError,
        );
    });

    it('when the lead has an owner with an SLA, then the card shows when it is due and its first button acknowledges', async () => {
        const recordLinks = { salesforce: 'https://contoso.lightning.force.com/lightning/r/Lead/{id}/view' };
        const acknowledge = {
            url: 'https://leads.example.net/api/ack/v1.lk-1.0.1900000000.sig',
            expiresAt: '2030-03-17T17:46:40.000Z',
            dueAt: '2026-11-21T06:15:05.000Z',
            round: 0,
        };
        const related = [{ target: 'salesforce', externalId: '00Q000000000001AAA' }];
        await createTeamsTarget('t', config({ recordLinks }), deps()).deliver(
            makeRequest('sales', { related, acknowledge }),
        );
        const card = server.requests[0]!.json.attachments[0].content;
        expect(facts(card)['Acknowledge by']).toBe('2026-11-21T06:15:05.000Z');
        expect(card.actions.map((a: { title: string; url: string }) => [a.title, a.url])).toEqual([
            ['Acknowledge', acknowledge.url],
            ['Open in salesforce', 'https://contoso.lightning.force.com/lightning/r/Lead/00Q000000000001AAA/view'],
        ]);
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

    it('when the URL is a retired Office 365 connector webhook or not a Workflows URL, then the config is refused with what to do', () => {
        const legacy = [
            'https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456',
            'https://outlook.office.com/webhook/abc@def/IncomingWebhook/123/456',
        ];
        for (const webhook of legacy) {
            try {
                createTeamsTarget('t', config(), makeDeps({ TEAMS_URL: webhook }));
                throw new Error('built');
            } catch (err) {
                expect(err).toBeInstanceOf(ConfigError);
                expect((err as ConfigError).problems[0]!.message).toContain('Workflows template');
            }
        }
        expect(() => createTeamsTarget('t', config(), makeDeps({ TEAMS_URL: 'https://example.test/hook' }))).toThrow(
            /Workflows webhook URL/,
        );
        const workflows =
            'https://prod-12.westeurope.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=x';
        expect(() => createTeamsTarget('t', config(), makeDeps({ TEAMS_URL: workflows }))).not.toThrow();
    });

    it('when cards are posted, then each takes a unit of every documented window, longest first', async () => {
        const taken: string[] = [];
        const governor: RateGovernor = {
            acquire: (target: string, budget: RateBudget) => {
                taken.push(`${target} ${budget.requests}/${budget.perSeconds}s`);
                return Promise.resolve({ release: () => Promise.resolve() });
            },
        };
        await createTeamsTarget('salesTeams', config(), deps({ rateGovernor: governor })).deliver(makeRequest('sales'));
        expect(taken).toEqual([
            'salesTeams@86400s 1800/86400s',
            'salesTeams@7200s 150/7200s',
            'salesTeams@3600s 100/3600s',
            'salesTeams@30s 60/30s',
            'salesTeams 4/1s',
        ]);
    });

    it('when more cards are due than the per-second window allows, then the governor spaces them and the webhook never throttles', async () => {
        const d = deps({ rateGovernor: new InMemoryRateGovernor({ now: () => new Date() }) });
        const target = createTeamsTarget('burst', config(), d);
        const results = await Promise.all(
            Array.from({ length: 6 }, (_, i) => target.deliver(makeRequest('sales', { idempotencyKey: `k${i}` }))),
        );
        expect(results.every((r) => r.status === 202)).toBe(true);
        expect(teams.throttled).toBe(0);
        expect(teams.cards).toHaveLength(6);
    });

    it('when the webhook throttles, then the error is transient with its Retry-After', async () => {
        teams.mode = 'throttle';
        const error = (await createTeamsTarget('t', config(), deps())
            .deliver(makeRequest('sales'))
            .catch((e: unknown) => e)) as TransientError;
        expect(error).toBeInstanceOf(TransientError);
        expect(error.details).toMatchObject({ status: 429, retryAfterMs: 2000 });
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
