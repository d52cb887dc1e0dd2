import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { type FakeDataverse, startFakeDataverse } from './fakes/fakeDataverse';
import { selfSignedCertificate, type TestCertificate } from './support/selfSignedCertificate';

const compiled = join(__dirname, '../../dist/shared/adapters/dynamics365/createDynamics365Target.js');
const certificate = selfSignedCertificate();
// Needs openssl (for the certificate) and the compiled app (jest's globalSetup builds it unless SKIP_BUILD=1).
const runnable = certificate !== undefined && existsSync(compiled);

/**
 * What an end-to-end run on the local host does: the compiled adapter in a separate Node process, with the
 * platform `fetch` and no test seam, authenticating against the fake Entra ID over HTTPS (trusted through
 * `NODE_EXTRA_CA_CERTS`) and writing to the fake Dataverse.
 */
(runnable ? describe : describe.skip)('Dynamics 365 target in a child process with the real fetch', () => {
    let fake: FakeDataverse;
    const cert = certificate as TestCertificate;
    beforeAll(async () => {
        fake = await startFakeDataverse({ key: cert.key, cert: cert.cert });
    });
    afterAll(async () => {
        await fake.server.close();
        cert.dispose();
    });

    it('when the child delivers a lead, then it gets a token over HTTPS and creates the lead', async () => {
        const script = `
            const { createDynamics365Target } = require(${JSON.stringify(compiled)});
            // No budget to keep here: a governor that always lets the call through.
            const rateGovernor = { acquire: async () => ({ release: async () => {} }) };
            const settings = { URL: process.env.FAKE_URL };
            const target = createDynamics365Target('dyn', {
                type: 'dynamics365', role: 'outreach', enabled: true,
                options: { environmentUrl: '%URL%', tenantId: 'tenant-1', clientId: 'app-1', clientSecret: 'secret-1',
                    authorityHost: '%URL%', disableInstanceDiscovery: true, alternateKey: 'new_personkey' },
            }, { setting: (n) => settings[n], logger: { debug() {}, info() {}, warn() {}, error() {} },
                 now: () => new Date(), fetch: globalThis.fetch, rateGovernor });
            const lead = { leadKey: 'lk-1', personKey: 'pk-1', channel: 'https', receivedAt: new Date().toISOString(),
                contact: { lastName: 'L', email: 'e@x.example', emailDomainClass: 'corporate' }, source: { kind: 'AppSource' },
                action: { code: 'INS', meaning: 'install' }, offer: { title: 'Offer' }, description: {},
                flags: { isTest: false, missingContact: false, isEducation: false }, unknownKeys: [], truncatedFields: {} };
            const decision = { configVersion: 'v', decidedAt: lead.receivedAt, qualification: { outcome: 'qualified', reasons: [] },
                score: { points: 1, grade: 'C', breakdown: [] }, route: { mode: 'first-match', matchedRules: [], usedDefault: true, targets: [] } };
            target.deliver({ lead, decision, target: 'dyn', idempotencyKey: 'k', attempt: 1 })
                .then((r) => { process.stdout.write(JSON.stringify(r)); })
                .catch((e) => { process.stdout.write('ERR ' + e.name + ' ' + e.message); process.exitCode = 1; });
        `;
        const child = spawn(process.execPath, ['-e', script], {
            env: { ...process.env, NODE_EXTRA_CA_CERTS: cert.certFile, FAKE_URL: fake.server.url },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        const code = await new Promise<number | null>((resolve) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            child.once('exit', (c) => {
                clearTimeout(timer);
                resolve(c);
            });
        });
        expect(out).toMatch(/"action":"created"/);
        expect(code).toBe(0);
        expect(fake.entra.issued).toHaveLength(1);
        expect(fake.leads.size).toBe(1);
    });
});
