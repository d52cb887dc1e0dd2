import { spawnSync } from 'node:child_process';

import { clearSharedTokenCaches } from '../../shared/adapters/crmKit/TokenCache';
import { createDynamics365Target } from '../../shared/adapters/dynamics365/createDynamics365Target';
import { ConfigError, PermanentError, TransientError } from '../../shared/domain/errors';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import { type FakeDataverse, startFakeDataverse } from './fakes/fakeDataverse';
import { fakeAuthorityHost, fetchVia } from './fakes/fakeEntra';
import { resetConnection, sendJson } from './support/fakeServer';
import { expectNoPersonalData, makeDeps, makeLead, makeRequest } from './support/fixtures';
import { selfSignedCertificate } from './support/selfSignedCertificate';

const config = (extra: Record<string, unknown> = {}): TargetConfig => ({
    type: 'dynamics365',
    role: 'outreach',
    enabled: 'auto',
    options: {
        environmentUrl: '%DYN_URL%',
        tenantId: '%DYN_TENANT%',
        clientId: '%DYN_CLIENT%',
        clientSecret: '%DYN_SECRET%',
        authorityHost: fakeAuthorityHost,
        disableInstanceDiscovery: true,
        ...extra,
    },
});

describe('Dynamics 365 target against a fake Dataverse Web API and Entra ID', () => {
    let fake: FakeDataverse;
    let clock: Date;
    beforeAll(async () => {
        fake = await startFakeDataverse();
    });
    afterAll(() => fake.server.close());
    beforeEach(() => {
        clearSharedTokenCaches();
        fake.override = undefined;
        fake.leads.clear();
        fake.revoked.clear();
        fake.entra.issued.length = 0;
        fake.entra.expiresInSeconds = 3599;
        fake.server.requests.length = 0;
        clock = new Date();
    });
    const deps = (secret = 'secret-1') =>
        makeDeps(
            { DYN_URL: fake.server.url, DYN_TENANT: 'tenant-1', DYN_CLIENT: 'app-1', DYN_SECRET: secret },
            { fetch: fetchVia(fake.server.url), now: () => clock },
        );
    const apiCalls = () => fake.server.requests.filter((r) => r.pathname.startsWith('/api/'));
    const tokenCalls = () => fake.server.requests.filter((r) => r.pathname.endsWith('/oauth2/v2.0/token'));

    it('when an alternate key is configured, then one PATCH upserts the lead by the person key and returns its id', async () => {
        const d = deps();
        const target = createDynamics365Target('dyn', config({ alternateKey: 'new_personkey' }), d);
        const result = await target.deliver(makeRequest('dyn'));

        expect(result).toMatchObject({ action: 'created', status: 201 });
        expect(result.externalId).toMatch(/^[0-9a-f-]{36}$/);
        const [call] = apiCalls();
        expect(call!.method).toBe('PATCH');
        expect(call!.pathname).toBe("/api/data/v9.2/leads(new_personkey='pk-ada-offer')");
        expect(call!.query.get('$select')).toBe('leadid');
        expect(call!.headers).toMatchObject({
            authorization: 'Bearer tok-1',
            prefer: 'return=representation',
            'odata-version': '4.0',
            'content-type': 'application/json',
        });
        expect(call!.json).toEqual({
            firstname: 'Augusta',
            lastname: 'Lovelace',
            emailaddress1: 'ada@contoso.example',
            telephone1: '+14255550100',
            companyname: 'Contoso',
            jobtitle: 'CTO',
            address1_country: 'US',
            subject: 'Contoso Analytics',
            description: expect.stringContaining('Grade: A'),
            leadsourcecode: 8,
        });
        const token = new URLSearchParams(tokenCalls()[0]!.body);
        expect(token.get('scope')).toBe(`${fake.server.url}/.default`);
        expect(token.get('grant_type')).toBe('client_credentials');
        expectNoPersonalData(JSON.stringify(d.logs));
    });

    it('when the same lead is delivered again by alternate key, then the one record is updated', async () => {
        const target = createDynamics365Target('dyn', config({ alternateKey: 'new_personkey' }), deps());
        const first = await target.deliver(makeRequest('dyn'));
        const second = await target.deliver(makeRequest('dyn', { attempt: 2 }));
        expect(second).toMatchObject({ action: 'updated', externalId: first.externalId, status: 200 });
        expect(fake.leads.size).toBe(1);
        expect(tokenCalls()).toHaveLength(1);
    });

    it('when no alternate key is configured, then it looks up by email and offer, creates once and updates after', async () => {
        const target = createDynamics365Target('dyn', config(), deps());
        const first = await target.deliver(makeRequest('dyn'));
        const journey = makeRequest('dyn', {
            lead: makeLead({ leadKey: 'lk-0002', action: { code: 'PLT', meaning: 'contact-me' } }),
            idempotencyKey: 'lk-0002:dyn',
        });
        const second = await target.deliver(journey);

        expect(first.action).toBe('created');
        expect(second).toMatchObject({ action: 'updated', externalId: first.externalId, status: 204 });
        expect(fake.leads.size).toBe(1);
        const [lookup, create, lookup2, update] = apiCalls();
        expect(lookup!.method).toBe('GET');
        expect(lookup!.query.get('$filter')).toBe(
            "emailaddress1 eq 'ada@contoso.example' and subject eq 'Contoso Analytics'",
        );
        expect(lookup!.query.get('$select')).toBe('leadid');
        expect(create).toMatchObject({ method: 'POST', pathname: '/api/data/v9.2/leads' });
        expect(create!.headers.prefer).toBe('return=representation');
        expect(lookup2!.method).toBe('GET');
        expect(update).toMatchObject({ method: 'PATCH', pathname: `/api/data/v9.2/leads(${first.externalId})` });
        expect(update!.headers['if-match']).toBe('*');
    });

    it('when the offer title holds a quote, then the lookup filter escapes it and still finds the one lead', async () => {
        const target = createDynamics365Target('dyn', config(), deps());
        const lead = makeLead({ offer: { title: "Contoso's Analytics" } });
        const first = await target.deliver(makeRequest('dyn', { lead }));
        const second = await target.deliver(makeRequest('dyn', { lead, attempt: 2 }));
        expect(second).toMatchObject({ action: 'updated', externalId: first.externalId });
        expect(apiCalls()[0]!.query.get('$filter')).toBe(
            "emailaddress1 eq 'ada@contoso.example' and subject eq 'Contoso''s Analytics'",
        );
        expect(fake.leads.size).toBe(1);
    });

    it('when the token is rejected mid-life, then it fetches a new token once and retries', async () => {
        const target = createDynamics365Target('dyn', config({ alternateKey: 'new_personkey' }), deps());
        await target.deliver(makeRequest('dyn'));
        fake.revoked.add('tok-1');
        const again = await target.deliver(makeRequest('dyn', { attempt: 2 }));
        expect(again.action).toBe('updated');
        expect(tokenCalls()).toHaveLength(2);
        expect(apiCalls().map((c) => c.headers.authorization)).toEqual([
            'Bearer tok-1',
            'Bearer tok-1',
            'Bearer tok-2',
        ]);
    });

    it('when every token is rejected, then the delivery fails permanently after one retry', async () => {
        fake.override = (req, res) => {
            if (!req.pathname.startsWith('/api/')) return false;
            res.writeHead(401);
            res.end();
            return true;
        };
        const target = createDynamics365Target('dyn', config({ alternateKey: 'new_personkey' }), deps());
        await expect(target.deliver(makeRequest('dyn'))).rejects.toMatchObject({
            name: 'PermanentError',
            details: { status: 401 },
        });
        expect(apiCalls()).toHaveLength(2);
    });

    it('when the token nears expiry, then a new one is requested before it is used again', async () => {
        fake.entra.expiresInSeconds = 600;
        const target = createDynamics365Target('dyn', config({ alternateKey: 'new_personkey' }), deps());
        await target.deliver(makeRequest('dyn'));
        clock = new Date(clock.getTime() + 60_000);
        await target.deliver(makeRequest('dyn'));
        expect(tokenCalls()).toHaveLength(1);
        clock = new Date(clock.getTime() + 6 * 60_000);
        await target.deliver(makeRequest('dyn'));
        expect(tokenCalls()).toHaveLength(2);
    });

    it('when the client secret is wrong, then the error is permanent and names the AADSTS code only', async () => {
        const error = await createDynamics365Target('dyn', config(), deps('wrong'))
            .deliver(makeRequest('dyn'))
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermanentError);
        expect((error as PermanentError).details.code).toContain('AADSTS7000215');
        expect((error as Error).message).not.toContain('wrong');
    });

    it('when service protection answers 429 with Retry-After, then the error is transient with that delay', async () => {
        fake.override = (req, res) => {
            if (!req.pathname.startsWith('/api/')) return false;
            sendJson(
                res,
                429,
                {
                    error: {
                        code: '0x80072322',
                        message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
                    },
                },
                { 'retry-after': '17' },
            );
            return true;
        };
        const error = (await createDynamics365Target('dyn', config({ alternateKey: 'k' }), deps())
            .deliver(makeRequest('dyn'))
            .catch((e: unknown) => e)) as TransientError;
        expect(error).toBeInstanceOf(TransientError);
        expect(error.details).toEqual({ status: 429, code: '0x80072322', retryAfterMs: 17_000 });
    });

    it('when Dataverse rejects the record, then the error is permanent with the OData code and no record values', async () => {
        fake.override = (req, res) => {
            if (!req.pathname.startsWith('/api/')) return false;
            sendJson(res, 400, { error: { code: '0x80040203', message: "Invalid value 'Lovelace' for lastname" } });
            return true;
        };
        const error = (await createDynamics365Target('dyn', config({ alternateKey: 'k' }), deps())
            .deliver(makeRequest('dyn'))
            .catch((e: unknown) => e)) as PermanentError;
        expect(error).toBeInstanceOf(PermanentError);
        expect(error.details).toEqual({ status: 400, code: '0x80040203' });
        expectNoPersonalData(error.message);
    });

    it('when the connection resets or a 503 comes back, then the error is transient', async () => {
        fake.override = (req, res) => {
            if (!req.pathname.startsWith('/api/')) return false;
            resetConnection(res);
            return true;
        };
        const target = createDynamics365Target('dyn', config({ alternateKey: 'k' }), deps());
        await expect(target.deliver(makeRequest('dyn'))).rejects.toMatchObject({
            name: 'TransientError',
            details: { code: 'network' },
        });
        fake.override = (req, res) => {
            if (!req.pathname.startsWith('/api/')) return false;
            sendJson(res, 503, { error: { code: '0x80040216', message: 'unavailable' } });
            return true;
        };
        await expect(target.deliver(makeRequest('dyn'))).rejects.toMatchObject({
            name: 'TransientError',
            details: { status: 503 },
        });
    });

    // A self-signed certificate needs openssl; without it this case cannot run and is reported as skipped.
    const openssl = spawnSync('openssl', ['version']).status === 0;
    (openssl ? it : it.skip)(
        'when certificate auth is configured, then a signed client assertion gets the token and health reports the certificate end date',
        async () => {
            const made = selfSignedCertificate(10)!;
            try {
                const certPem = made.cert;
                fake.entra.certificatePem = certPem;
                const pem = made.key + certPem;
                const d = makeDeps(
                    { DYN_URL: fake.server.url, DYN_TENANT: 'tenant-1', DYN_CLIENT: 'app-1', DYN_CERT: pem },
                    { fetch: fetchVia(fake.server.url), now: () => clock },
                );
                const options = {
                    auth: 'clientCertificate',
                    clientSecret: undefined,
                    certificate: '%DYN_CERT%',
                    alternateKey: 'new_personkey',
                };
                const target = createDynamics365Target('dyn', config(options), d);
                await expect(target.deliver(makeRequest('dyn'))).resolves.toMatchObject({ action: 'created' });
                const form = new URLSearchParams(tokenCalls()[0]!.body);
                expect(form.get('client_assertion_type')).toBe(
                    'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
                );
                expect(form.has('client_secret')).toBe(false);
                const health = await target.checkHealth(clock);
                expect(health.ok).toBe(false);
                expect(health.message).toMatch(/Dataverse credential expires in (9|10) day/);
            } finally {
                fake.entra.certificatePem = undefined;
                made.dispose();
            }
        },
    );

    it('when options are missing or wrong, then one ConfigError lists every problem', () => {
        const build = () =>
            createDynamics365Target(
                'dyn',
                { ...config({ auth: 'password', environmentUrl: 'not a url' }), mapping: { x: 'nope' } },
                makeDeps({ DYN_TENANT: 't' }),
            );
        expect(build).toThrow(ConfigError);
        try {
            build();
        } catch (err) {
            expect((err as ConfigError).problems.map((p) => p.path)).toEqual([
                'targets.dyn.options.environmentUrl',
                'targets.dyn.options.auth',
                'targets.dyn.options.clientId',
                'targets.dyn.options.clientSecret',
                'targets.dyn.mapping.x',
            ]);
        }
    });

    it('when health is checked, then WhoAmI is called without writing and a close secret expiry is reported', async () => {
        const now = new Date('2026-11-20T00:00:00Z');
        const health = await createDynamics365Target(
            'dyn',
            config({ credentialExpiresAt: '2026-11-27T00:00:00Z' }),
            deps(),
        ).checkHealth(now);
        expect(health).toMatchObject({ ok: false, credentialExpiresAt: '2026-11-27T00:00:00.000Z' });
        expect(health.message).toContain('expires in 7 day(s)');
        expect(apiCalls().map((c) => `${c.method} ${c.pathname}`)).toEqual(['GET /api/data/v9.2/WhoAmI']);
        const bad = await createDynamics365Target('dyn', config(), deps('wrong')).checkHealth(now);
        expect(bad).toMatchObject({ ok: false });
        expect(bad.message).toContain('AADSTS7000215');
    });
});
