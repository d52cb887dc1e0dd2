/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are loosely typed JSON */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hubspotBlocklist } from '../contract/fakes/fakeHubSpotGdprDelete';
import { salesforceRecycleBin } from '../contract/fakes/fakeSalesforceDelete';
import { sendJson } from '../contract/support/fakeServer';
import { selfSignedCertificate } from '../contract/support/selfSignedCertificate';
import { type StartedHost, startHost, waitFor } from '../support/host';
import { type AllTargetsFakes, startAllTargetsFakes } from './support/allTargetsFakes';
import { api, getLead, postLead, ROOT, waitForFinal } from './support/pipelineHost';

/*
 * One lead delivered to every CRM and notification target (the loopback fakes of test/contract/fakes), then its
 * person erased with every CRM listed in `privacy.eraseInTargets`. Marketo keeps failing its deletes with a system
 * error: they are retried on durable timers, reported failed (not skipped), and deleted by a retry once Marketo is
 * back.
 */

const person = {
    firstName: 'Grace',
    lastName: 'Erasable',
    email: 'grace.erasable@contoso-crm-erasure.example',
    phone: '+1 425 555 0166',
    company: 'Contoso Erasure Labs',
    title: 'Chief Technology Officer',
    country: 'United States',
};
const body = JSON.stringify({
    userDetails: person,
    actionCode: 'PLT',
    offerTitle: 'Contoso Analytics',
    leadSource: 'SPZA-PLT|contoso.contoso-analytics',
    description: 'Please call',
});

const certificate = selfSignedCertificate();
const crms =
    certificate === undefined ? ['hubspot', 'marketo', 'salesforce'] : ['dynamics', 'hubspot', 'marketo', 'salesforce'];
let fakes: AllTargetsFakes;
let host: StartedHost;

beforeAll(async () => {
    fakes = await startAllTargetsFakes(certificate);
    const dir = mkdtempSync(join(tmpdir(), 'privacy-crm-'));
    const config = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'configs', 'all-targets.json'), 'utf8'));
    const path = join(dir, 'pipeline.json');
    writeFileSync(path, JSON.stringify({ ...config, privacy: { eraseInTargets: crms } }));
    host = await startHost({ appDir: ROOT, storage: 'memory', env: { ...fakes.hostEnv, PIPELINE_CONFIG_PATH: path } });
}, 60_000);
afterAll(async () => {
    await host?.stop();
    await fakes?.stop();
});

async function report(erasureId: string): Promise<Record<string, any>> {
    return waitFor(
        async () => {
            const r = (await (await fetch(api(host, `privacy/erasures/${erasureId}`))).json()) as Record<string, any>;
            return r.status === 'running' ? undefined : r;
        },
        120_000,
        `erasure ${erasureId}`,
    );
}
const byTarget = (r: Record<string, any>) => Object.fromEntries((r.targets as any[]).map((t) => [t.target, t]));

describe('erasing a person in the CRMs too', () => {
    it('when Marketo keeps failing, then the other CRMs erase the person, Marketo is retried and reported failed, and a retry erases it there once it is back', async () => {
        const posted = await postLead(host, body);
        const lead = await waitForFinal(host, posted.leadId!, 40_000);
        const ids = Object.fromEntries((lead.deliveries as any[]).map((d) => [d.target, d.externalId]));
        expect(lead.status).toBe('delivered');
        for (const target of crms) expect(ids[target]).toBeDefined();
        let marketoDeletes = 0;
        fakes.marketo.override = (req, res) => {
            if (req.pathname !== '/rest/v1/leads/delete.json') return false;
            marketoDeletes++;
            sendJson(res, 200, {
                requestId: 'e2e#611',
                success: false,
                errors: [{ code: '611', message: 'System error' }],
            });
            return true;
        };

        const started = await fetch(api(host, 'privacy/erasures'), {
            method: 'POST',
            body: JSON.stringify({ email: person.email }),
        });
        const first = await report(((await started.json()) as { erasureId: string }).erasureId);
        const t = byTarget(first);

        expect(first.status).toBe('completed-with-errors');
        expect(first.leadIds).toEqual([posted.leadId]);
        expect(t.hubspot).toMatchObject({ mode: 'erase', erased: [ids.hubspot], failed: [] });
        expect(t.salesforce).toMatchObject({ mode: 'erase', erased: [ids.salesforce], failed: [] });
        if (certificate !== undefined) expect(t.dynamics).toMatchObject({ mode: 'erase', erased: [ids.dynamics] });
        expect(t.marketo).toMatchObject({
            mode: 'erase',
            erased: [],
            failed: [{ recordId: ids.marketo, attempts: 3 }],
        });
        expect(t.marketo.failed[0].error).toContain('611');
        expect(marketoDeletes).toBe(3);
        expect(t.leadWebhook).toMatchObject({ mode: 'not-supported', remaining: [ids.leadWebhook] });
        expect(first.pendingRecords).toEqual([{ target: 'marketo', recordId: ids.marketo, leadId: posted.leadId }]);
        expect(fakes.hubspot.contacts.size).toBe(0);
        expect(fakes.hubspot.notes.size).toBe(0);
        expect(hubspotBlocklist(fakes.hubspot).size).toBe(0);
        expect(fakes.salesforce.leads).toHaveLength(0);
        expect(salesforceRecycleBin(fakes.salesforce).map((l) => l.Id)).toEqual([ids.salesforce]);
        if (fakes.dataverse !== undefined) expect(fakes.dataverse.leads.size).toBe(0);
        expect(fakes.marketo.leads).toHaveLength(1);
        expect(await getLead(host, posted.leadId!)).toBeUndefined();
        expect(JSON.stringify(first)).not.toContain(person.email);

        fakes.marketo.override = undefined;
        const retry = await fetch(api(host, `privacy/erasures/${first.erasureId}/retry`), { method: 'POST' });
        expect(retry.status).toBe(202);
        const second = await report(first.erasureId);

        expect(second).toMatchObject({ status: 'completed', retries: 1, pendingRecords: [] });
        expect(byTarget(second).marketo).toMatchObject({ erased: [ids.marketo], failed: [] });
        expect(byTarget(second).hubspot).toMatchObject({ erased: [ids.hubspot] });
        expect(fakes.marketo.leads).toHaveLength(0);
        const again = await fetch(api(host, `privacy/erasures/${first.erasureId}/retry`), { method: 'POST' });
        expect(again.status).toBe(409);
    }, 240_000);
});
