import { clearSharedTokenCaches } from '../../shared/adapters/crmKit/TokenCache';
import { createDynamics365Target } from '../../shared/adapters/dynamics365/createDynamics365Target';
import { createRecordEraser } from '../../shared/adapters/erasure/createRecordEraser';
import { createHubSpotTarget } from '../../shared/adapters/hubspot/createHubSpotTarget';
import { createMarketoTarget } from '../../shared/adapters/marketo/createMarketoTarget';
import { createSalesforceTarget } from '../../shared/adapters/salesforce/createSalesforceTarget';
import { ConfigError } from '../../shared/domain/errors';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import { type FakeDataverse, startFakeDataverse } from './fakes/fakeDataverse';
import { fakeAuthorityHost, fetchVia } from './fakes/fakeEntra';
import { type FakeHubSpot, startFakeHubSpot } from './fakes/fakeHubSpot';
import { hubspotBlocklist } from './fakes/fakeHubSpotGdprDelete';
import { type FakeMarketo, startFakeMarketo } from './fakes/fakeMarketo';
import { type FakeSalesforce, sfExternalIdField, startFakeSalesforce } from './fakes/fakeSalesforce';
import { salesforceRecycleBin } from './fakes/fakeSalesforceDelete';
import { sendJson } from './support/fakeServer';
import { expectNoPersonalData, makeDeps, makeLead, makeRequest } from './support/fixtures';

const target = (type: TargetConfig['type'], options: Record<string, unknown>): TargetConfig => ({
    type,
    role: 'outreach',
    enabled: 'auto',
    options,
});

beforeEach(() => clearSharedTokenCaches());

describe('HubSpot erasure (GDPR delete) against the fake HubSpot', () => {
    let fake: FakeHubSpot;
    const config = target('hubspot', { token: '%HS_TOKEN%', baseUrl: '%HS_URL%' });
    beforeAll(async () => {
        fake = await startFakeHubSpot('pat-good');
    });
    afterAll(() => fake.server.close());
    beforeEach(() => {
        fake.override = undefined;
        fake.contacts.clear();
        fake.notes.clear();
        fake.server.requests.length = 0;
    });
    const deps = (token = 'pat-good') => makeDeps({ HS_TOKEN: token, HS_URL: fake.server.url });

    it('when the person is erased, then the contact and the notes the pipeline added are deleted by contact id, never by email', async () => {
        const delivered = await createHubSpotTarget('hs', config, deps()).deliver(makeRequest('hs'));
        expect(fake.notes.size).toBe(1);
        fake.server.requests.length = 0;

        const results = await createRecordEraser('hs', config, deps()).erase([delivered.externalId!]);

        expect(results).toEqual([{ recordId: delivered.externalId, outcome: 'erased' }]);
        expect(fake.contacts.size).toBe(0);
        expect(fake.notes.size).toBe(0);
        const [call] = fake.server.requests;
        expect(call).toMatchObject({ method: 'POST', pathname: '/crm/v3/objects/contacts/gdpr-delete' });
        expect(call!.json).toEqual({ objectId: delivered.externalId });
        expect(hubspotBlocklist(fake).size).toBe(0);
        expectNoPersonalData(JSON.stringify(fake.server.requests.map((r) => r.body)));
    });

    it('when the contact is already gone, then it is reported absent; a new lead of the person later creates a new contact', async () => {
        const first = await createHubSpotTarget('hs', config, deps()).deliver(makeRequest('hs'));
        const eraser = createRecordEraser('hs', config, deps());
        await eraser.erase([first.externalId!]);

        expect(await eraser.erase([first.externalId!])).toEqual([{ recordId: first.externalId, outcome: 'absent' }]);
        const again = await createHubSpotTarget('hs', config, deps()).deliver(makeRequest('hs'));
        expect(again.action).toBe('created');
        expect(again.externalId).not.toBe(first.externalId);
    });

    it('when HubSpot throttles or fails, then the record is transient with the wait; a rejected token or scope is permanent', async () => {
        let answer = 429;
        fake.override = (req, res) => {
            if (!req.pathname.endsWith('/gdpr-delete')) return false;
            if (answer === 429) {
                sendJson(res, 429, { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' }, { 'retry-after': '3' });
            } else sendJson(res, answer, { status: 'error', category: 'MISSING_SCOPES', message: 'scope' });
            return true;
        };
        // A fresh budget for each: a 429 pauses the target's budget, as it should.
        const erase = () => createRecordEraser('hs', config, deps()).erase(['1001']);

        const [throttled] = await erase();
        answer = 503;
        const [down] = await erase();
        answer = 403;
        const [refused] = await erase();
        fake.override = undefined;

        expect(throttled).toMatchObject({ outcome: 'transient', httpStatus: 429, retryAfterMs: 3000 });
        expect(down).toMatchObject({ outcome: 'transient', httpStatus: 503 });
        expect(refused).toMatchObject({ outcome: 'permanent', httpStatus: 403 });
        expect(await createRecordEraser('hs', config, deps('pat-bad')).erase(['1001'])).toMatchObject([
            { outcome: 'permanent', httpStatus: 401 },
        ]);
    });

    it('when a stored id is not a HubSpot id, then it is refused without a call', async () => {
        const [result] = await createRecordEraser('hs', config, deps()).erase(['../contacts/1']);

        expect(result).toMatchObject({ outcome: 'permanent' });
        expect(fake.server.requests).toHaveLength(0);
    });
});

describe('Dataverse erasure against the fake Dataverse Web API', () => {
    let fake: FakeDataverse;
    const config = target('dynamics365', {
        environmentUrl: '%DYN_URL%',
        tenantId: 'tenant-1',
        clientId: 'app-1',
        clientSecret: '%DYN_SECRET%',
        authorityHost: fakeAuthorityHost,
        disableInstanceDiscovery: true,
    });
    beforeAll(async () => {
        fake = await startFakeDataverse();
    });
    afterAll(() => fake.server.close());
    beforeEach(() => {
        fake.override = undefined;
        fake.leads.clear();
        fake.revoked.clear();
        fake.server.requests.length = 0;
    });
    const deps = () =>
        makeDeps({ DYN_URL: fake.server.url, DYN_SECRET: 'secret-1' }, { fetch: fetchVia(fake.server.url) });

    it('when the person is erased, then the lead row the pipeline wrote is deleted by id; a second time it is absent', async () => {
        const delivered = await createDynamics365Target('dyn', config, deps()).deliver(makeRequest('dyn'));
        const eraser = createRecordEraser('dyn', config, deps());

        expect(await eraser.erase([delivered.externalId!])).toEqual([
            { recordId: delivered.externalId, outcome: 'erased' },
        ]);
        expect(fake.leads.size).toBe(0);
        expect(await eraser.erase([delivered.externalId!])).toEqual([
            { recordId: delivered.externalId, outcome: 'absent' },
        ]);
        const deletes = fake.server.requests.filter((r) => r.method === 'DELETE');
        expect(deletes.map((r) => r.pathname)).toEqual([
            `/api/data/v9.2/leads(${delivered.externalId})`,
            `/api/data/v9.2/leads(${delivered.externalId})`,
        ]);
        expect(deletes[0]!.headers['odata-version']).toBe('4.0');
    });

    it('when the cached token was revoked, then one fresh token is fetched and the delete goes through', async () => {
        const delivered = await createDynamics365Target('dyn', config, deps()).deliver(makeRequest('dyn'));
        for (const token of fake.entra.issued) fake.revoked.add(token);

        const results = await createRecordEraser('dyn', config, deps()).erase([delivered.externalId!]);

        expect(results).toEqual([{ recordId: delivered.externalId, outcome: 'erased' }]);
    });

    it('when Dataverse is throttling, then the record is transient with its Retry-After', async () => {
        fake.override = (req, res) => {
            if (req.method !== 'DELETE') return false;
            sendJson(res, 429, { error: { code: '0x80072322', message: 'limit' } }, { 'retry-after': '7' });
            return true;
        };

        const [result] = await createRecordEraser('dyn', config, deps()).erase([
            '00000000-0000-0000-0000-000000000001',
        ]);

        expect(result).toMatchObject({ outcome: 'transient', httpStatus: 429, retryAfterMs: 7000 });
    });

    it('when the sign-in options are ones the delivery target refuses, then the eraser refuses them too', () => {
        const withCertificate = target('dynamics365', {
            environmentUrl: '%DYN_URL%',
            auth: 'clientCertificate',
            tenantId: 'tenant-1',
            clientId: 'app-1',
            certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
        });

        expect(() => createRecordEraser('dyn', withCertificate, deps())).toThrow(
            /certificate: must be a PEM holding the private key/u,
        );
    });
});

describe('Salesforce erasure against the fake Salesforce org', () => {
    let fake: FakeSalesforce;
    const config = target('salesforce', {
        loginUrl: '%SF_LOGIN%',
        clientId: 'cid',
        clientSecret: '%SF_SECRET%',
        externalIdField: sfExternalIdField,
    });
    beforeAll(async () => {
        fake = await startFakeSalesforce({ clientId: 'cid', clientSecret: 'csecret', publicKey: '', username: '' });
    });
    afterAll(() => fake.server.close());
    beforeEach(() => {
        fake.override = undefined;
        fake.leads.length = 0;
        salesforceRecycleBin(fake).length = 0;
        fake.sessions.clear();
        fake.server.requests.length = 0;
    });
    const deps = () => makeDeps({ SF_LOGIN: fake.server.url, SF_SECRET: 'csecret' });

    it('when the person is erased, then the Lead goes to the Recycle Bin and a second delete reports it absent', async () => {
        const delivered = await createSalesforceTarget('sf', config, deps()).deliver(makeRequest('sf'));
        const eraser = createRecordEraser('sf', config, deps());

        expect(await eraser.erase([delivered.externalId!])).toEqual([
            { recordId: delivered.externalId, outcome: 'erased' },
        ]);
        expect(fake.leads).toHaveLength(0);
        expect(salesforceRecycleBin(fake).map((l) => l.Id)).toEqual([delivered.externalId]);
        expect(await eraser.erase([delivered.externalId!])).toEqual([
            { recordId: delivered.externalId, outcome: 'absent' },
        ]);
    });

    it('when the session expired, then one new session is opened; the org API limit is transient', async () => {
        const delivered = await createSalesforceTarget('sf', config, deps()).deliver(makeRequest('sf'));
        fake.sessions.clear();
        const eraser = createRecordEraser('sf', config, deps());

        expect(await eraser.erase([delivered.externalId!])).toEqual([
            { recordId: delivered.externalId, outcome: 'erased' },
        ]);
        fake.override = (req, res) => {
            if (req.method !== 'DELETE') return false;
            sendJson(res, 403, [{ message: 'limit', errorCode: 'REQUEST_LIMIT_EXCEEDED', fields: [] }]);
            return true;
        };
        const [limited] = await eraser.erase(['00Q000000000000001']);
        expect(limited).toMatchObject({ outcome: 'transient', httpStatus: 403 });
    });

    it('when the target delivered, then the eraser signs in as it does: the same session, and client credentials refused on login.salesforce.com', async () => {
        const delivered = await createSalesforceTarget('sf', config, deps()).deliver(makeRequest('sf'));
        const logins = () => fake.server.requests.filter((r) => r.pathname === '/services/oauth2/token').length;
        const before = logins();

        await createRecordEraser('sf', config, deps()).erase([delivered.externalId!]);

        expect(logins()).toBe(before);
        expect(() =>
            createRecordEraser(
                'sf',
                { ...config, options: { ...config.options, loginUrl: 'https://login.salesforce.com' } },
                deps(),
            ),
        ).toThrow(/My Domain/u);
    });

    it('when the target is in Web-to-Lead mode, then it cannot erase and says so', () => {
        expect(() => createRecordEraser('sf', target('salesforce', { mode: 'web-to-lead', oid: 'x' }), deps())).toThrow(
            ConfigError,
        );
    });
});

describe('Marketo erasure against the fake Marketo REST API', () => {
    let fake: FakeMarketo;
    const config = target('marketo', { baseUrl: '%MKTO_URL%', clientId: 'mid', clientSecret: '%MKTO_SECRET%' });
    beforeAll(async () => {
        fake = await startFakeMarketo('mid', 'msecret');
    });
    afterAll(() => fake.server.close());
    beforeEach(() => {
        fake.override = undefined;
        fake.leads.length = 0;
        fake.tokens.clear();
        fake.server.requests.length = 0;
    });
    const deps = () => makeDeps({ MKTO_URL: `${fake.server.url}/rest`, MKTO_SECRET: 'msecret' });
    const deleteCalls = () => fake.server.requests.filter((r) => r.pathname === '/rest/v1/leads/delete.json');

    it('when the person is erased, then the lead is deleted by id; an unknown id is absent (1004)', async () => {
        const delivered = await createMarketoTarget('mkto', config, deps()).deliver(makeRequest('mkto'));

        const results = await createRecordEraser('mkto', config, deps()).erase([delivered.externalId!, '999']);

        expect(results).toEqual([
            { recordId: delivered.externalId, outcome: 'erased' },
            { recordId: '999', outcome: 'absent' },
        ]);
        expect(fake.leads).toHaveLength(0);
        expect(deleteCalls()[0]!.json).toEqual({ input: [{ id: Number(delivered.externalId) }, { id: 999 }] });
    });

    it('when more than 300 records are to go, then they are sent 300 to a call', async () => {
        for (let i = 0; i < 301; i++) {
            await createMarketoTarget('mkto', config, deps()).deliver(
                makeRequest('mkto', {
                    lead: makeLead({ contact: { ...makeLead().contact, email: `p${i}@contoso.example` } }),
                }),
            );
        }
        const ids = fake.leads.map((l) => String(l.id));

        const results = await createRecordEraser('mkto', config, deps()).erase(ids);

        expect(results.every((r) => r.outcome === 'erased')).toBe(true);
        expect(deleteCalls().map((c) => (c.json as { input: unknown[] }).input.length)).toEqual([300, 1]);
        expect(fake.leads).toHaveLength(0);
    });

    it('when the token expired, then it is refreshed once; a rate limit (606) is transient', async () => {
        const delivered = await createMarketoTarget('mkto', config, deps()).deliver(makeRequest('mkto'));
        for (const token of fake.tokens.keys()) fake.tokens.set(token, 'expired');

        expect(await createRecordEraser('mkto', config, deps()).erase([delivered.externalId!])).toEqual([
            { recordId: delivered.externalId, outcome: 'erased' },
        ]);
        fake.override = (req, res) => {
            if (req.pathname !== '/rest/v1/leads/delete.json') return false;
            sendJson(res, 200, { requestId: 'x', success: false, errors: [{ code: '606', message: 'rate' }] });
            return true;
        };
        const [limited] = await createRecordEraser('mkto', config, deps()).erase(['5']);
        expect(limited).toMatchObject({ outcome: 'transient', retryAfterMs: 20_000 });
    });
});

describe('targets that cannot erase', () => {
    it('when a notification target is asked to erase, then it refuses: its messages cannot be recalled', () => {
        expect(() =>
            createRecordEraser('teams', target('teams', { webhookUrl: 'https://x.example' }), makeDeps({})),
        ).toThrow(ConfigError);
    });
});
