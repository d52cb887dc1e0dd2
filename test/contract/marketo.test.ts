import { clearSharedTokenCaches } from '../../shared/adapters/crmKit/TokenCache';
import { createMarketoTarget } from '../../shared/adapters/marketo/createMarketoTarget';
import { ConfigError, PermanentError, TransientError } from '../../shared/domain/errors';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import { type FakeMarketo, startFakeMarketo } from './fakes/fakeMarketo';
import { resetConnection, sendJson } from './support/fakeServer';
import { expectNoPersonalData, makeDeps, makeLead, makeRequest } from './support/fixtures';

const config = (extra: Record<string, unknown> = {}, mapping?: Record<string, string>): TargetConfig => ({
    type: 'marketo',
    role: 'outreach',
    enabled: 'auto',
    options: { baseUrl: '%MKTO_URL%', clientId: '%MKTO_ID%', clientSecret: '%MKTO_SECRET%', ...extra },
    mapping,
});

describe('Marketo target against a fake Marketo REST API', () => {
    let fake: FakeMarketo;
    beforeAll(async () => {
        fake = await startFakeMarketo('mid', 'msecret');
    });
    afterAll(() => fake.server.close());
    beforeEach(() => {
        clearSharedTokenCaches();
        fake.override = undefined;
        fake.leads.length = 0;
        fake.tokens.clear();
        fake.members.clear();
        fake.pushes.length = 0;
        fake.now = () => Date.now();
        fake.server.requests.length = 0;
    });
    const deps = (secret = 'msecret') =>
        makeDeps({ MKTO_URL: `${fake.server.url}/rest`, MKTO_ID: 'mid', MKTO_SECRET: secret });
    const leadCalls = () => fake.server.requests.filter((r) => r.pathname === '/rest/v1/leads.json');

    it('when a lead is delivered, then a token is fetched and createOrUpdate by email sends the mapped fields', async () => {
        const d = deps();
        const result = await createMarketoTarget('mkto', config(), d).deliver(makeRequest('mkto'));

        expect(result).toEqual({ action: 'created', externalId: '318581', status: 200 });
        const [token, call] = fake.server.requests;
        expect(token!.method).toBe('GET');
        expect(token!.pathname).toBe('/identity/oauth/token');
        expect(Object.fromEntries(token!.query)).toEqual({
            grant_type: 'client_credentials',
            client_id: 'mid',
            client_secret: 'msecret',
        });
        expect(call!.method).toBe('POST');
        expect(call!.headers.authorization).toBe('Bearer mkto-1');
        expect(call!.json).toEqual({
            action: 'createOrUpdate',
            lookupField: 'email',
            input: [
                {
                    email: 'ada@contoso.example',
                    firstName: 'Augusta',
                    lastName: 'Lovelace',
                    phone: '+14255550100',
                    company: 'Contoso',
                    title: 'CTO',
                    country: 'US',
                    leadSource: 'Azure Marketplace',
                },
            ],
        });
        expectNoPersonalData(JSON.stringify(d.logs));
    });

    it('when the same lead or the same person comes again, then the one Marketo lead is updated', async () => {
        const target = createMarketoTarget('mkto', config(), deps());
        await target.deliver(makeRequest('mkto'));
        const again = await target.deliver(makeRequest('mkto', { lead: makeLead({ leadKey: 'lk-0003' }) }));
        expect(again).toEqual({ action: 'updated', externalId: '318581', status: 200 });
        expect(fake.leads).toHaveLength(1);
        expect(fake.server.requests.filter((r) => r.pathname === '/identity/oauth/token')).toHaveLength(1);
    });

    it('when the target is rebuilt for each invocation, then the cached token is reused', async () => {
        await createMarketoTarget('mkto', config(), deps()).deliver(makeRequest('mkto'));
        await createMarketoTarget('mkto', config(), deps()).deliver(makeRequest('mkto'));
        expect(fake.server.requests.filter((r) => r.pathname === '/identity/oauth/token')).toHaveLength(1);
        await createMarketoTarget(
            'mkto',
            config(),
            makeDeps({ MKTO_URL: `${fake.server.url}/rest`, MKTO_ID: 'mid', MKTO_SECRET: 'rotated' }),
        )
            .deliver(makeRequest('mkto'))
            .catch(() => undefined);
        expect(fake.server.requests.filter((r) => r.pathname === '/identity/oauth/token')).toHaveLength(2);
    });

    it('when the token has expired (602), then a new token is fetched once and the call repeated', async () => {
        const target = createMarketoTarget('mkto', config(), deps());
        await target.deliver(makeRequest('mkto'));
        for (const key of fake.tokens.keys()) fake.tokens.set(key, 'expired');
        await expect(target.deliver(makeRequest('mkto'))).resolves.toMatchObject({ action: 'updated' });
        expect(leadCalls().map((c) => c.headers.authorization)).toEqual([
            'Bearer mkto-1',
            'Bearer mkto-1',
            'Bearer mkto-2',
        ]);
    });

    it.each([
        ['606', 20_000],
        ['615', 2_000],
        ['604', 5_000],
        ['608', 60_000],
        ['611', 5_000],
        ['614', 60_000],
        ['713', 5_000],
    ])('when Marketo answers %s inside HTTP 200, then the error is transient', async (code, wait) => {
        fake.override = (req, res) => {
            if (req.pathname !== '/rest/v1/leads.json') return false;
            sendJson(res, 200, { requestId: 'r', success: false, errors: [{ code, message: 'x' }] });
            return true;
        };
        const error = (await createMarketoTarget('mkto', config(), deps())
            .deliver(makeRequest('mkto'))
            .catch((e: unknown) => e)) as TransientError;
        expect(error).toBeInstanceOf(TransientError);
        expect(error.details).toEqual({ status: 200, code, retryAfterMs: wait });
    });

    it('when Marketo reports its rate limit (606), then the target pauses and the next delivery does not call it', async () => {
        fake.override = (req, res) => {
            if (req.pathname !== '/rest/v1/leads.json') return false;
            sendJson(res, 200, {
                requestId: 'r',
                success: false,
                errors: [{ code: '606', message: 'Max rate limit exceeded' }],
            });
            return true;
        };
        const d = deps();
        await expect(createMarketoTarget('mkto', config(), d).deliver(makeRequest('mkto'))).rejects.toMatchObject({
            details: { code: '606' },
        });
        const calls = leadCalls().length;
        await expect(createMarketoTarget('mkto', config(), d).deliver(makeRequest('mkto'))).rejects.toMatchObject({
            details: { code: 'rate-governor' },
        });
        expect(leadCalls()).toHaveLength(calls);
    });

    it('when a record is skipped for an unknown field or several matches, then the error is permanent with the code', async () => {
        const target = createMarketoTarget('mkto', config({}, { marketplaceGrade: 'grade' }), deps());
        await expect(target.deliver(makeRequest('mkto'))).rejects.toMatchObject({
            name: 'PermanentError',
            details: { code: '1006' },
        });
        fake.leads.push(
            { id: 1, fields: { email: 'ada@contoso.example' } },
            { id: 2, fields: { email: 'ada@contoso.example' } },
        );
        const error = await createMarketoTarget('mkto', config(), deps())
            .deliver(makeRequest('mkto'))
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermanentError);
        expect((error as PermanentError).details.code).toBe('1007');
        expectNoPersonalData((error as Error).message);
    });

    it('when a custom lookup field is configured, then the person key is sent in it', async () => {
        await createMarketoTarget('mkto', config({ lookupField: 'personKey' }), deps()).deliver(makeRequest('mkto'));
        const body = leadCalls()[0]!.json;
        expect(body.lookupField).toBe('personKey');
        expect(body.input[0].personKey).toBe('pk-ada-offer');
    });

    it('when credentials are wrong, or the server resets or fails, then the errors are classified', async () => {
        await expect(
            createMarketoTarget('mkto', config(), deps('bad')).deliver(makeRequest('mkto')),
        ).rejects.toMatchObject({
            name: 'PermanentError',
            details: { code: 'invalid_client' },
        });
        fake.override = (req, res) => {
            if (req.pathname !== '/rest/v1/leads.json') return false;
            resetConnection(res);
            return true;
        };
        const target = createMarketoTarget('mkto', config(), deps());
        await expect(target.deliver(makeRequest('mkto'))).rejects.toMatchObject({
            name: 'TransientError',
            details: { code: 'network' },
        });
        fake.override = (req, res) => {
            if (req.pathname !== '/rest/v1/leads.json') return false;
            sendJson(res, 413, {});
            return true;
        };
        await expect(target.deliver(makeRequest('mkto'))).rejects.toMatchObject({
            name: 'PermanentError',
            details: { status: 413 },
        });
    });

    it('when options are missing, then one ConfigError lists them', () => {
        try {
            createMarketoTarget('mkto', config(), makeDeps({ MKTO_URL: 'ftp://x' }));
            throw new Error('expected a ConfigError');
        } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
            expect((err as ConfigError).problems.map((p) => p.path)).toEqual([
                'targets.mkto.options.baseUrl',
                'targets.mkto.options.clientId',
                'targets.mkto.options.clientSecret',
            ]);
        }
    });

    it('when health is checked, then only the identity endpoint is called', async () => {
        const health = await createMarketoTarget('mkto', config(), deps()).checkHealth(new Date());
        expect(health.ok).toBe(true);
        expect(fake.server.requests.map((r) => r.pathname)).toEqual(['/identity/oauth/token']);
        const bad = await createMarketoTarget('mkto', config(), deps('bad')).checkHealth(new Date());
        expect(bad).toMatchObject({ ok: false });
        expect(bad.message).toContain('invalid_client');
        expect(bad.message).not.toContain('bad');
    });
    describe('Marketo as it really behaves', () => {
        it('when deliveries go on through a token’s last minutes, then the token is fetched once and again only after it expired', async () => {
            let clock = Date.now();
            fake.now = () => clock;
            const d = makeDeps(
                { MKTO_URL: `${fake.server.url}/rest`, MKTO_ID: 'mid', MKTO_SECRET: 'msecret' },
                { now: () => new Date(clock) },
            );
            const target = createMarketoTarget('mkto', config(), d);
            const start = clock;
            await target.deliver(makeRequest('mkto'));
            // Marketo re-issues the same token with its remaining life: asking early gains nothing.
            for (let at = 3_305; at < 3_600; at += 30) {
                clock = start + at * 1000;
                await target.deliver(makeRequest('mkto'));
            }
            const identity = () => fake.server.requests.filter((r) => r.pathname === '/identity/oauth/token');
            expect(identity()).toHaveLength(1);
            clock = start + 3_605 * 1000;
            await target.deliver(makeRequest('mkto'));
            expect(identity()).toHaveLength(2);
            expect(leadCalls().at(-1)!.headers.authorization).toBe('Bearer mkto-2');
        });

        it('when a program is configured or the campaign maps to one, then the lead is pushed to it (Push Lead to Marketo) with source and reason', async () => {
            const target = createMarketoTarget(
                'mkto',
                config({ programName: 'Azure Marketplace Leads', campaigns: { spring: 'Spring Webinar' } }),
                deps(),
            );
            const result = await target.deliver(makeRequest('mkto'));

            expect(result).toMatchObject({ action: 'created', externalId: '318581' });
            expect(result.note).toContain('pushed to program Spring Webinar');
            const push = fake.server.requests.find((r) => r.pathname === '/rest/v1/leads/push.json')!;
            expect(push.json).toMatchObject({
                programName: 'Spring Webinar',
                lookupField: 'email',
                source: 'Azure Marketplace',
                reason: 'install: Contoso Analytics',
            });
            expect(fake.members.has('Spring Webinar:318581')).toBe(true);
            const other = makeLead({
                leadKey: 'lk-0002',
                description: { campaign: { mktcmpid: 'unmapped', params: {} } },
            });
            await target.deliver(makeRequest('mkto', { lead: other, idempotencyKey: 'lk-0002:mkto' }));
            expect(fake.members.has('Azure Marketplace Leads:318581')).toBe(true);
            expect(fake.leads).toHaveLength(1);
        });

        it('when a value is longer than its field, then it is cut to the field’s length instead of the record being skipped', async () => {
            const lead = makeLead({ contact: { ...makeLead().contact, company: 'c'.repeat(300) } });
            const result = await createMarketoTarget('mkto', config(), deps()).deliver(makeRequest('mkto', { lead }));
            expect(result.note).toContain('cut to field length: company');
            expect((fake.leads[0]!.fields.company as string).length).toBe(255);
        });

        it('when the lead source is configured, then leadSource says it', async () => {
            await createMarketoTarget('mkto', config({ leadSource: 'AppSource' }), deps()).deliver(makeRequest('mkto'));
            expect(fake.leads[0]!.fields.leadSource).toBe('AppSource');
        });

        it('when the answer to a sync or a push is lost and the call is sent again, then there is one lead and one program membership', async () => {
            const plain = createMarketoTarget('mkto', config(), deps());
            fake.server.loseAnswer((r) => r.pathname === '/rest/v1/leads.json');
            await expect(plain.deliver(makeRequest('mkto'))).rejects.toMatchObject({ name: 'TransientError' });
            await expect(plain.deliver(makeRequest('mkto'))).resolves.toMatchObject({ action: 'updated' });

            const pushing = createMarketoTarget('mkto', config({ programName: 'Azure Marketplace Leads' }), deps());
            fake.server.loseAnswer((r) => r.pathname === '/rest/v1/leads/push.json');
            await expect(pushing.deliver(makeRequest('mkto'))).rejects.toMatchObject({ name: 'TransientError' });
            await expect(pushing.deliver(makeRequest('mkto'))).resolves.toMatchObject({ action: 'updated' });

            expect(fake.leads).toHaveLength(1);
            expect(fake.members.size).toBe(1);
            // Marketo logs each push as an activity: a repeated push is a second "Push Lead to Marketo" activity.
            expect(fake.pushes).toHaveLength(2);
        });
    });
});
