/* eslint-disable @typescript-eslint/require-await -- fakes implement promise-returning ports synchronously */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { HttpRequest } from '@azure/functions';

import { consoleSite } from '../../functions/consoleSite';
import { createGetLead } from '../../functions/getLead';
import { createLeadsOverview } from '../../functions/leadsOverview';
import { createListLeads } from '../../functions/listLeads';
import { createListProblems } from '../../functions/listProblems';
import { createQueryLeads } from '../../functions/queryLeads';
import { createRedeliverLead } from '../../functions/redeliverLead';
import { createShowRules } from '../../functions/showRules';
import { createWhatIfRules } from '../../functions/whatIfRules';
import { createWhoAmI } from '../../functions/whoAmI';
import type { OperationsAccess } from '../../shared/config';
import { FakeStarter, InMemoryParked, testContext } from '../fakes/fakes';
import { pipelineConfig, pipelineHarness } from './pipelineHarness';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const lead = (user: Record<string, string>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
        userDetails: { country: 'CZ', ...user },
        leadSource: 'SPZA-PLT|contoso.pipeline',
        actionCode: 'PLT',
        offerTitle: 'Contoso Pipeline',
        description: 'We have 400 seats and want a demo next week',
        ...extra,
    });

async function seeded() {
    const h = pipelineHarness(['leadWebhook'], { leadWebhook: async () => ({ action: 'sent', status: 200 }) });
    const ids: string[] = [];
    for (const body of [
        lead({
            firstName: 'Šárka',
            lastName: 'Dvořáková',
            email: 'sarka@reditelstvi.cz',
            company: 'Ředitelství silnic a dálnic',
            title: 'Ředitelka IT',
        }),
        lead(
            {
                firstName: 'Çağrı',
                lastName: 'Öztürk',
                email: 'cagri@yildiz.com.tr',
                company: 'Yıldız Bilişim A.Ş.',
                title: 'Müdür',
            },
            { actionCode: 'INS', leadSource: 'AzureMarketplace-INS|contoso.pipeline' },
        ),
        lead(
            { firstName: 'Sam', email: 'sam@gmail.com', company: 'Contoso' },
            { description: '{"mktcmpid":"spring"}' },
        ),
    ]) {
        const id = await h.intake(body);
        await h.run(id);
        ids.push(id);
    }
    return { h, ids };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    new HttpRequest({ method: 'POST', url, body: { string: JSON.stringify(body) }, headers });
const get = (url: string, params: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    new HttpRequest({ method: 'GET', url, params, headers });

const tenantId = '11111111-2222-3333-4444-555555555555';
const clientId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const entra: OperationsAccess = { mode: 'entra', tenantId, clientId, platformAuthEnabled: true };
/** The header App Service authentication injects after a sign-in. */
const principal = (roles: string[], tenant = tenantId, aud = clientId) =>
    Buffer.from(
        JSON.stringify({
            auth_typ: 'aad',
            name_typ: 'name',
            role_typ: 'roles',
            claims: [
                { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: tenant },
                { typ: 'aud', val: aud },
                { typ: 'name', val: 'Jana Nováková' },
                ...roles.map((r) => ({ typ: 'roles', val: r })),
            ],
        }),
    ).toString('base64');

describe('the operations API for the console', () => {
    it('when leads are queried then each row carries person, company, offer, action, grade, outcome and time to delivery', async () => {
        const { h, ids } = await seeded();

        const res = await createQueryLeads(() => h.deps)(post('http://x/api/leads/query', { limit: 10 }));

        expect(res.status).toBe(200);
        const items = (res.jsonBody as Body).items as Body[];
        expect(items).toHaveLength(3);
        expect(items.find((i) => i.leadId === ids[0])).toEqual(
            expect.objectContaining({
                name: 'Šárka Dvořáková',
                company: 'Ředitelství silnic a dálnic',
                offer: 'Contoso Pipeline',
                actionCode: 'PLT',
                action: 'contact-me',
                source: 'AppSource',
                outcome: 'qualified',
                grade: expect.stringMatching(/^[A-D]$/u),
                status: 'delivered',
            }),
        );
    });

    it('when the search is an email then only that person is found, whatever its case; a company matches without diacritics', async () => {
        const { h, ids } = await seeded();
        const query = createQueryLeads(() => h.deps);

        const byEmail = await query(post('http://x/api/leads/query', { search: 'CAGRI@Yildiz.com.tr' }));
        const byCompany = await query(post('http://x/api/leads/query', { search: 'reditelstvi SILNIC' }));
        const none = await query(post('http://x/api/leads/query', { search: 'nobody@nowhere.example' }));

        expect(((byEmail.jsonBody as Body).items as Body[]).map((i) => i.leadId)).toEqual([ids[1]]);
        expect(((byCompany.jsonBody as Body).items as Body[]).map((i) => i.leadId)).toEqual([ids[0]]);
        expect((none.jsonBody as Body).items).toEqual([]);
    });

    it('when leads are filtered by action, source and offer then only matching rows come back; a bad filter is 400', async () => {
        const { h, ids } = await seeded();
        const query = createQueryLeads(() => h.deps);

        const installs = await query(
            post('http://x/api/leads/query', { action: 'install', source: 'AzureMarketplace' }),
        );
        const offer = await query(post('http://x/api/leads/query', { offer: 'Contoso Pipeline', channel: 'https' }));
        const bad = await query(post('http://x/api/leads/query', { grade: 'A; drop', action: 'dance' }));
        const unknown = await query(post('http://x/api/leads/query', { colour: 'red' }));

        expect(((installs.jsonBody as Body).items as Body[]).map((i) => i.leadId)).toEqual([ids[1]]);
        expect((offer.jsonBody as Body).items).toHaveLength(3);
        expect(bad.status).toBe(400);
        expect(((bad.jsonBody as Body).problems as Body[]).map((p) => p.path).sort()).toEqual(['action', 'grade']);
        expect(unknown.status).toBe(400);
    });

    it('when a search is put in a URL then GET /api/leads refuses it, so no email reaches a log; the function key is ignored', async () => {
        const { h } = await seeded();
        const list = createListLeads(() => h.deps);

        const refused = await list(get('http://x/api/leads?search=sarka%40reditelstvi.cz&code=k'));
        const filtered = await list(get('http://x/api/leads?action=install&code=k'));

        expect(refused.status).toBe(400);
        expect(JSON.stringify(refused.jsonBody)).not.toContain('sarka');
        expect(filtered.status).toBe(200);
        expect((filtered.jsonBody as Body).items).toHaveLength(1);
    });

    it('when a lead is read then the customer’s own message and contact details are in the answer', async () => {
        const { h, ids } = await seeded();

        const res = await createGetLead(() => ({ ...h.deps, delivery: pipelineConfig.delivery }))(
            get(`http://x/api/leads/${ids[0]}`, { leadId: ids[0]! }),
            testContext('g').context,
        );
        const campaign = await createGetLead(() => ({ ...h.deps, delivery: pipelineConfig.delivery }))(
            get(`http://x/api/leads/${ids[2]}`, { leadId: ids[2]! }),
            testContext('g').context,
        );

        expect((res.jsonBody as Body).message).toBe('We have 400 seats and want a demo next week');
        expect((res.jsonBody as Body).contact).toEqual(
            expect.objectContaining({ firstName: 'Šárka', email: 'sarka@reditelstvi.cz', title: 'Ředitelka IT' }),
        );
        expect((campaign.jsonBody as Body).message).toBeUndefined();
        expect((campaign.jsonBody as Body).campaign).toEqual(expect.objectContaining({ mktcmpid: 'spring' }));
        expect(res.headers).toEqual(expect.objectContaining({ 'Cache-Control': 'no-store' }));
    });

    it('when the overview is asked for then it counts leads per day by source and action, grades, outcomes and targets', async () => {
        const { h } = await seeded();
        const now = () => new Date('2026-11-21T12:00:00.000Z');

        const res = await createLeadsOverview(() => ({ leads: h.deps.leads, now }))(
            get('http://x/api/overview?days=7'),
        );
        const bad = await createLeadsOverview(() => ({ leads: h.deps.leads, now }))(
            get('http://x/api/overview?days=0'),
        );

        const o = res.jsonBody as Body;
        expect(o.total).toBe(3);
        expect(o.days).toHaveLength(7);
        expect(o.days[6]).toEqual(
            expect.objectContaining({ day: '2026-11-21', total: 3, byAction: { 'contact-me': 2, install: 1 } }),
        );
        expect(Object.values(o.grades as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(3);
        expect(o.outcomes).toEqual({ qualified: 3 });
        expect(o.offers).toEqual([{ offer: 'Contoso Pipeline', count: 3 }]);
        expect(bad.status).toBe(400);
    });

    it('when there is a parked event then the problems say the publisher is needed; without any they say all is well', async () => {
        const { h } = await seeded();
        const parked = new InMemoryParked();
        const deps = () => ({
            ...h.deps,
            delivery: pipelineConfig.delivery,
            parked,
            targetsHealth: async () => ({ ok: true, summary: '', checkedAt: '', targets: [] }),
        });
        const problems = createListProblems(deps);

        const calm = await problems(get('http://x/api/problems'), testContext('p').context);
        await parked.park({
            id: 'p1',
            messageId: 'm1',
            reason: 'MaxDeliveryCountExceeded',
            body: '{}',
            properties: {},
            parkedAt: '2026-11-21T06:00:00.000Z',
            replayCount: 0,
        });
        const needed = await problems(get('http://x/api/problems'), testContext('p').context);

        expect((calm.jsonBody as Body).needsAttention).toBe(false);
        expect((needed.jsonBody as Body).needsAttention).toBe(true);
        expect((needed.jsonBody as Body).counts.parked).toBe(1);
    });

    it('when a what-if raises the grade A threshold then the leads graded A are listed as changing, and nothing is stored', async () => {
        const { h } = await seeded();
        const proposed = JSON.parse(JSON.stringify(pipelineConfig)) as { scoring: { grades: { minPoints: number }[] } };
        proposed.scoring.grades[0]!.minPoints = 500;
        const whatIf = createWhatIfRules(() => ({
            leads: h.deps.leads,
            active: pipelineConfig,
            availableTargets: () => new Set(['leadWebhook']),
        }));
        const before = JSON.stringify([...h.deps.leads.records.values()]);

        const res = await whatIf(post('http://x/api/rules/what-if', { config: proposed, count: 10 }));
        const invalid = await whatIf(post('http://x/api/rules/what-if', { config: { version: 1 }, count: 10 }));

        const body = res.jsonBody as Body;
        const gradedA = [...h.deps.leads.records.values()].filter((r) => r.decision?.score.grade === 'A').length;
        expect(body.evaluated).toBe(3);
        expect(body.byChange.grade).toBe(gradedA);
        expect(gradedA).toBeGreaterThan(0);
        expect(
            (body.leads as Body[]).filter((l) => l.changes.includes('grade')).every((l) => l.current.grade === 'A'),
        ).toBe(true);
        expect(JSON.stringify([...h.deps.leads.records.values()])).toBe(before);
        expect(invalid.status).toBe(400);
        expect((invalid.jsonBody as Body).error.code).toBe('invalid-config');
        expect(((invalid.jsonBody as Body).problems as unknown[]).length).toBeGreaterThan(0);
    });

    it('when the rules are shown then they are the active configuration with each target on or off, never a setting value', async () => {
        const res = await createShowRules(() => ({
            pipeline: pipelineConfig,
            targetStates: {
                leadWebhook: {
                    enabled: false,
                    reason: 'settings not set: LEAD_WEBHOOK_URL',
                    unsetSettings: ['LEAD_WEBHOOK_URL'],
                    unresolvedSettings: [],
                },
            },
        }))(get('http://x/api/rules'));

        expect((res.jsonBody as Body).version).toBe(pipelineConfig.version);
        expect((res.jsonBody as Body).pipeline.targets.leadWebhook.options.url).toBe('%LEAD_WEBHOOK_URL%');
        expect((res.jsonBody as Body).targets.leadWebhook).toEqual({
            enabled: false,
            reason: 'settings not set: LEAD_WEBHOOK_URL',
        });
    });
});

describe('who may use the operations API (Entra ID, behind App Service authentication)', () => {
    it('when no one is signed in then the API answers 401 with where to sign in', async () => {
        const { h } = await seeded();

        const res = await createListLeads(
            () => h.deps,
            () => entra,
        )(get('http://x/api/leads'));

        expect(res.status).toBe(401);
        expect((res.jsonBody as Body).signIn).toBe('/.auth/login/aad');
    });

    it('when a reader asks to redeliver then the API answers 403; a reader may read, an operator may redeliver', async () => {
        const { h, ids } = await seeded();
        const leadId = ids[0]!;
        const redeliver = createRedeliverLead(
            () => ({
                leads: h.deps.leads,
                now: h.deps.now,
                starter: new FakeStarter(),
                delivery: pipelineConfig.delivery,
            }),
            () => entra,
        );
        const url = `http://x/api/leads/${leadId}/redeliver?target=leadWebhook`;
        const asReader = new HttpRequest({
            method: 'POST',
            url,
            params: { leadId },
            headers: { 'x-ms-client-principal': principal(['Leads.Read']) },
        });
        const asOperator = new HttpRequest({
            method: 'POST',
            url,
            params: { leadId },
            headers: { 'x-ms-client-principal': principal(['Leads.Operate']) },
        });

        const refused = await redeliver(asReader, testContext('r').context);
        const read = await createListLeads(
            () => h.deps,
            () => entra,
        )(get('http://x/api/leads', {}, { 'x-ms-client-principal': principal(['Leads.Read']) }));
        const done = await redeliver(asOperator, testContext('r').context);

        expect(refused.status).toBe(403);
        expect((refused.jsonBody as Body).error.message).toContain('Leads.Operate');
        expect(read.status).toBe(200);
        expect(done.status).toBe(202);
    });

    it('when the principal is of another tenant, another app or has no role then the API answers 403', async () => {
        const { h } = await seeded();
        const list = createListLeads(
            () => h.deps,
            () => entra,
        );
        const as = (p: string) => list(get('http://x/api/leads', {}, { 'x-ms-client-principal': p }));

        expect((await as(principal(['Leads.Read'], '99999999-2222-3333-4444-555555555555'))).status).toBe(403);
        expect((await as(principal(['Leads.Read'], tenantId, 'bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee'))).status).toBe(
            403,
        );
        expect((await as(principal([]))).status).toBe(403);
        expect((await as('not base64 json')).status).toBe(401);
    });

    it('when App Service authentication is off then a principal header is not trusted: 503 not-configured', async () => {
        const { h } = await seeded();

        const res = await createListLeads(
            () => h.deps,
            () => ({ ...entra, platformAuthEnabled: false }),
        )(get('http://x/api/leads', {}, { 'x-ms-client-principal': principal(['Leads.Operate']) }));

        expect(res.status).toBe(503);
    });

    it('when /api/me is asked then it names the caller and the roles it holds', async () => {
        const res = await createWhoAmI(() => entra)(
            get('http://x/api/me', {}, { 'x-ms-client-principal': principal(['Leads.Read']) }),
        );

        expect(res.jsonBody).toEqual({ mode: 'entra', roles: ['read'], name: 'Jana Nováková' });
    });

    it('when another site posts a redelivery through the browser then it is refused 403 before anything happens', async () => {
        const { h, ids } = await seeded();
        const leadId = ids[0]!;
        const starter = new FakeStarter();
        const redeliver = createRedeliverLead(() => ({
            leads: h.deps.leads,
            now: h.deps.now,
            starter,
            delivery: pipelineConfig.delivery,
        }));
        const from = (headers: Record<string, string>) =>
            redeliver(
                new HttpRequest({
                    method: 'POST',
                    url: `http://app.example/api/leads/${leadId}/redeliver`,
                    params: { leadId },
                    headers,
                }),
                testContext('r').context,
            );

        const crossSite = await from({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' });
        const otherOrigin = await from({ origin: 'https://evil.example' });

        expect(crossSite.status).toBe(403);
        expect(otherOrigin.status).toBe(403);
        expect(starter.instances.size).toBe(0);
    });
});

describe('the console page', () => {
    it('when the console is requested then its page comes with a Content-Security-Policy that allows no inline script', async () => {
        const page = await consoleSite(get('http://x/console/', { path: '' }));
        const deep = await consoleSite(get('http://x/console/leads', { path: 'leads' }));
        const missing = await consoleSite(get('http://x/console/assets/nothing.js', { path: 'assets/nothing.js' }));
        const traversal = await consoleSite(get('http://x/console/../host.json', { path: '../host.json' }));

        expect(page.status).toBe(200);
        const headers = page.headers as Record<string, string>;
        expect(headers['Content-Security-Policy']).toContain("script-src 'self'");
        expect(headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
        expect(headers['Content-Security-Policy']).not.toContain('unsafe-inline');
        const html = (page.body as Buffer).toString('utf8');
        expect(html).toContain('<div id="app">');
        expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>/u);
        expect(deep.status).toBe(200);
        expect(missing.status).toBe(404);
        expect(traversal.status).toBe(404);
    });
});
