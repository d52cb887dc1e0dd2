import { spawnSync } from 'node:child_process';

import { clearSharedTokenCaches } from '../../shared/adapters/crmKit/TokenCache';
import { createDynamics365Target } from '../../shared/adapters/dynamics365/createDynamics365Target';
import { ConfigError, PermanentError, TransientError } from '../../shared/domain/errors';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import { type FakeDataverse, startFakeDataverse } from './fakes/fakeDataverse';
import { fakeAuthorityHost, fetchVia } from './fakes/fakeEntra';
import { resetConnection, sendJson } from './support/fakeServer';
import { expectNoPersonalData, makeDecision, makeDeps, makeLead, makeRequest } from './support/fixtures';
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
        fake.annotations.clear();
        fake.campaigns.clear();
        fake.systemusers.clear();
        fake.raceNextKeyedCreate = false;
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

    it('when an alternate key is configured, then the keyed lead is read, one PATCH upserts it by the person key and a note holds the lead', async () => {
        const d = deps();
        const target = createDynamics365Target('dyn', config({ alternateKey: 'new_personkey' }), d);
        const result = await target.deliver(makeRequest('dyn'));

        expect(result).toMatchObject({ action: 'created', status: 201 });
        expect(result.externalId).toMatch(/^[0-9a-f-]{36}$/);
        const [read, call, note] = apiCalls();
        expect(read).toMatchObject({ method: 'GET', pathname: "/api/data/v9.2/leads(new_personkey='pk-ada-offer')" });
        expect(read!.query.get('$select')).toBe('leadid,statecode');
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
            leadqualitycode: 1,
        });
        expect(note).toMatchObject({
            method: 'PATCH',
            pathname: expect.stringMatching(/^\/api\/data\/v9\.2\/annotations\(/),
        });
        expect(note!.json).toEqual({
            subject: 'Azure Marketplace lead: install – Contoso Analytics',
            notetext: expect.stringContaining('Please call me after 5'),
            'objectid_lead@odata.bind': `/leads(${result.externalId})`,
        });
        expect(fake.annotations.size).toBe(1);
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
        // The same delivery's note is upserted by an id derived from its idempotency key: still one note.
        expect(fake.annotations.size).toBe(1);
        expect(tokenCalls()).toHaveLength(1);
    });

    it('when sales moves the lead this delivery created on from New, qualifies or disqualifies it, then it reads as worked', async () => {
        const target = createDynamics365Target('dyn', config({ alternateKey: 'new_personkey' }), deps());
        const request = makeRequest('dyn');
        const created = await target.deliver(request);
        const id = created.externalId!;
        expect(created.status).toBe(201);

        expect(await target.leadStatus!(request, id)).toEqual({ status: '0/1', worked: false });
        Object.assign(fake.leads.get(id)!, { statuscode: 2 });
        expect(await target.leadStatus!(request, id)).toEqual({ status: '0/2', worked: true });
        Object.assign(fake.leads.get(id)!, { statecode: 2, statuscode: 4 });
        expect(await target.leadStatus!(request, id)).toEqual({ status: '2/4', worked: true });
        // No stored id, or a row that is gone: nothing to read, so not worked (the escalation goes on).
        expect(await target.leadStatus!(request)).toBeUndefined();
        fake.leads.delete(id);
        expect(await target.leadStatus!(request, id)).toBeUndefined();
        expect(
            fake.server.requests.filter((r) => r.method === 'GET' && r.pathname.endsWith(`leads(${id})`)),
        ).toHaveLength(4);
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
        const [lookup, create, , lookup2, update] = apiCalls();
        expect(lookup!.method).toBe('GET');
        expect(lookup!.query.get('$filter')).toBe(
            "emailaddress1 eq 'ada@contoso.example' and subject eq 'Contoso Analytics' and statecode eq 0",
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
            "emailaddress1 eq 'ada@contoso.example' and subject eq 'Contoso''s Analytics' and statecode eq 0",
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
        // First delivery: read, upsert, note with tok-1; then the read is refused once and everything goes on with tok-2.
        expect(apiCalls().map((c) => c.headers.authorization)).toEqual([
            'Bearer tok-1',
            'Bearer tok-1',
            'Bearer tok-1',
            'Bearer tok-1',
            'Bearer tok-2',
            'Bearer tok-2',
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
    describe('the lead as Dataverse really takes it', () => {
        const keyed = (extra: Record<string, unknown> = {}) => config({ alternateKey: 'new_personkey', ...extra });
        const person = (leadKey: string, overrides: Parameters<typeof makeLead>[0] = {}) =>
            makeRequest('dyn', { lead: makeLead({ leadKey, ...overrides }), idempotencyKey: `${leadKey}:dyn` });
        const closeLead = (id: string) => Object.assign(fake.leads.get(id)!, { statecode: 1 });

        it('when the person’s lead was qualified, then lookup mode creates a new open lead and never writes the closed one', async () => {
            const target = createDynamics365Target('dyn', config(), deps());
            const first = await target.deliver(makeRequest('dyn'));
            closeLead(first.externalId!);
            const before = { ...fake.leads.get(first.externalId!) };

            const next = await target.deliver(person('lk-0002'));
            const again = await target.deliver(person('lk-0003'));

            expect(next.action).toBe('created');
            expect(next.externalId).not.toBe(first.externalId);
            expect(fake.leads.get(first.externalId!)).toEqual(before);
            // The new open lead is found again by the person's next lead.
            expect(again).toMatchObject({ action: 'updated', externalId: next.externalId });
            expect(fake.leads.size).toBe(2);
        });

        it('when the keyed lead was qualified, then the new interest goes to one open follow-up lead, found again by a repeat and by the next lead', async () => {
            const target = createDynamics365Target('dyn', keyed(), deps());
            const first = await target.deliver(makeRequest('dyn'));
            closeLead(first.externalId!);
            const before = { ...fake.leads.get(first.externalId!) };

            const followUp = await target.deliver(person('lk-0002'));
            const repeat = await target.deliver(person('lk-0002'));
            const later = await target.deliver(person('lk-0003'));

            expect(followUp.action).toBe('created');
            expect(followUp.note).toContain('lead is closed');
            expect(fake.leads.get(followUp.externalId!)).toMatchObject({
                new_personkey: 'pk-ada-offer~lk-0002',
                statecode: 0,
            });
            expect(repeat).toMatchObject({ action: 'updated', externalId: followUp.externalId });
            expect(later).toMatchObject({ action: 'updated', externalId: followUp.externalId });
            expect(fake.leads.get(first.externalId!)).toEqual(before);
            expect(fake.leads.size).toBe(2);
        });

        it('when values are longer than their columns, then each is cut to its MaxLength, a too-long email is left out, and the note keeps the full text', async () => {
            const long = (n: number, c = 'x') => c.repeat(n);
            const notes = `Long request ${long(5000, 'n')}`;
            const lead = makeLead({
                contact: {
                    ...makeLead().contact,
                    firstName: long(60, 'f'),
                    company: long(150, 'c'),
                    title: long(120, 't'),
                    email: `${long(110, 'e')}@contoso.example`,
                },
                offer: { title: long(400, 'o') },
                description: { raw: notes, notes },
            });
            const result = await createDynamics365Target('dyn', keyed(), deps()).deliver(makeRequest('dyn', { lead }));

            expect(result.action).toBe('created');
            expect(result.note).toContain(
                'cut to column length: firstname, emailaddress1 (left out), companyname, jobtitle, subject, description',
            );
            expect(result.note).toContain('emailaddress1 (left out)');
            const row = fake.leads.get(result.externalId!)!;
            expect((row.firstname as string).length).toBe(50);
            expect((row.companyname as string).length).toBe(100);
            expect((row.subject as string).length).toBe(300);
            expect((row.description as string).length).toBe(2000);
            expect(row.emailaddress1).toBeUndefined();
            const [note] = [...fake.annotations.values()];
            expect(note!.notetext).toContain(notes);
        });

        it('when two first deliveries of one person race on the alternate key, then the loser’s 412 DuplicateRecord becomes an update', async () => {
            fake.raceNextKeyedCreate = true;
            const result = await createDynamics365Target('dyn', keyed(), deps()).deliver(makeRequest('dyn'));

            expect(result).toMatchObject({ action: 'updated', status: 200 });
            expect(fake.leads.size).toBe(1);
            expect(apiCalls().filter((c) => c.method === 'PATCH' && c.pathname.includes('new_personkey'))).toHaveLength(
                2,
            );
        });

        it('when the same person sends a second lead, then the first lead’s text stays on the record as its own note', async () => {
            const target = createDynamics365Target('dyn', keyed(), deps());
            await target.deliver(makeRequest('dyn'));
            const second = person('lk-0002', {
                action: { code: 'PLT', meaning: 'contact-me' },
                description: { raw: 'Now we want a demo', notes: 'Now we want a demo' },
            });
            const result = await target.deliver(second);

            const notes = [...fake.annotations.values()].map((n) => n.notetext as string);
            expect(notes).toHaveLength(2);
            expect(notes.some((t) => t.includes('Please call me after 5'))).toBe(true);
            expect(notes.some((t) => t.includes('Now we want a demo'))).toBe(true);
            expect(fake.leads.get(result.externalId!)!.description).toContain('Now we want a demo');
        });

        it('when the grade is mapped, then leadqualitycode is hot, warm or cold, overridable and can be turned off; the lead source is the option', async () => {
            const graded = (grade: string) => ({ ...makeDecision(), score: { points: 50, grade, breakdown: [] } });
            const sent = async (extra: Record<string, unknown>, grade: string) => {
                fake.server.requests.length = 0;
                await createDynamics365Target('dyn', config(extra), deps()).deliver(
                    makeRequest('dyn', { decision: graded(grade) }),
                );
                return apiCalls().find(
                    (c) => c.method === 'POST' || (c.method === 'PATCH' && !c.pathname.includes('annotations')),
                )!.json;
            };
            expect((await sent({}, 'B')).leadqualitycode).toBe(2);
            fake.leads.clear();
            expect((await sent({}, 'D')).leadqualitycode).toBe(3);
            fake.leads.clear();
            expect((await sent({ quality: { values: { A: 1, B: 1, C: 2, D: 3 } } }, 'B')).leadqualitycode).toBe(1);
            fake.leads.clear();
            expect(await sent({ quality: false, leadSourceCode: 4 }, 'A')).toMatchObject({ leadsourcecode: 4 });
            expect('leadqualitycode' in (await sent({ quality: false }, 'A'))).toBe(false);
        });

        it('when the lead’s campaign and owner are mapped, then the lead is bound to them; unknown ones never fail the delivery', async () => {
            const campaignId = '11111111-2222-3333-4444-555555555555';
            const userId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
            fake.campaigns.add(campaignId);
            fake.systemusers.add(userId);
            const owner = { personId: 'jana', displayName: 'Jana Novak', id: userId };
            const target = createDynamics365Target('dyn', keyed({ campaigns: { spring: campaignId } }), deps());

            const bound = await target.deliver(makeRequest('dyn', { owner }));

            expect(fake.leads.get(bound.externalId!)).toMatchObject({
                _campaignid_value: campaignId,
                _ownerid_value: userId,
            });
            // A campaign not in the mapping binds nothing; one mapped but gone from Dataverse is dropped, not fatal.
            const other = makeLead({
                leadKey: 'lk-0002',
                personKey: 'pk-2',
                description: { campaign: { mktcmpid: 'other', params: {} } },
            });
            await expect(
                target.deliver(makeRequest('dyn', { lead: other, idempotencyKey: 'lk-0002:dyn' })),
            ).resolves.toMatchObject({ action: 'created' });
            fake.campaigns.clear();
            fake.systemusers.clear();
            const gone = await target.deliver(
                makeRequest('dyn', {
                    owner,
                    lead: makeLead({ leadKey: 'lk-0003', personKey: 'pk-3' }),
                    idempotencyKey: 'lk-0003:dyn',
                }),
            );
            expect(gone.action).toBe('created');
            expect(gone.note).toContain('written without campaignid@odata.bind, ownerid@odata.bind');
            expect(() =>
                createDynamics365Target('dyn', config({ campaigns: { spring: 'not-a-guid' } }), deps()),
            ).toThrow(ConfigError);
        });

        it('when the answer to the upsert or to the note is lost and the call is sent again, then there is still one lead and one note', async () => {
            const target = createDynamics365Target('dyn', keyed(), deps());
            fake.server.loseAnswer((r) => r.method === 'PATCH' && r.pathname.includes('new_personkey'));
            await expect(target.deliver(makeRequest('dyn'))).rejects.toMatchObject({ name: 'TransientError' });
            fake.server.loseAnswer((r) => r.pathname.includes('/annotations('));
            await expect(target.deliver(makeRequest('dyn', { attempt: 2 }))).rejects.toMatchObject({
                name: 'TransientError',
            });

            const third = await target.deliver(makeRequest('dyn', { attempt: 3 }));

            expect(third.action).toBe('updated');
            expect(fake.leads.size).toBe(1);
            expect(fake.annotations.size).toBe(1);
        });
    });
});
