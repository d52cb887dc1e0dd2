import { InvocationContext } from '@azure/functions';

import { createTargetsHealth, type TargetsHealthDeps } from '../../../functions/targetsHealth';
import { createHubSpotTarget } from '../../../shared/adapters/hubspot/createHubSpotTarget';
import { ConfigError } from '../../../shared/domain/errors';
import type { TargetConfig } from '../../../shared/domain/TargetConfig';
import type { DeliveryTarget } from '../../../shared/ports/DeliveryTarget';
import { targetStates } from '../../../shared/targetStates';
import { type FakeHubSpot, startFakeHubSpot } from '../../contract/fakes/fakeHubSpot';
import { makeDeps } from '../../contract/support/fixtures';

const targets: Record<string, TargetConfig> = {
    hubspot: {
        type: 'hubspot',
        role: 'outreach',
        enabled: 'auto',
        options: { token: '%HS_TOKEN%', baseUrl: '%HS_URL%' },
    },
    marketo: {
        type: 'marketo',
        role: 'outreach',
        enabled: 'auto',
        options: { baseUrl: '%MKTO_URL%', clientId: '%MKTO_ID%' },
    },
    teams: { type: 'teams', role: 'notify', enabled: false, options: { webhookUrl: '%TEAMS_URL%' } },
    dynamics: { type: 'dynamics365', role: 'outreach', enabled: true, options: {} },
};

describe('GET /api/targets/health', () => {
    let fake: FakeHubSpot;
    beforeAll(async () => {
        fake = await startFakeHubSpot('pat-good');
    });
    afterAll(() => fake.server.close());

    function deps(token: string, dynamics: 'ok' | 'config-error'): TargetsHealthDeps {
        const settings: Record<string, string> = {
            HS_TOKEN: token,
            HS_URL: fake.server.url,
            MKTO_URL: 'https://x.mktorest.com',
        };
        return {
            config: { pipeline: { targets }, targetStates: targetStates(targets, settings) },
            target: (name) => {
                if (name === 'hubspot') return createHubSpotTarget(name, targets.hubspot!, makeDeps(settings));
                if (dynamics === 'config-error')
                    throw new ConfigError([
                        { path: 'targets.dynamics.options.environmentUrl', message: 'is required' },
                    ]);
                const healthy: DeliveryTarget = {
                    name,
                    type: 'dynamics365',
                    role: 'outreach',
                    deliver: () => Promise.reject(new Error('not used')),
                    checkHealth: (now) =>
                        Promise.resolve({ target: name, type: 'dynamics365', ok: true, checkedAt: now.toISOString() }),
                };
                return healthy;
            },
            now: () => new Date('2026-11-20T10:00:00Z'),
        };
    }
    const call = (d: TargetsHealthDeps) =>
        createTargetsHealth(() => d)({} as never, new InvocationContext({ functionName: 'targetsHealth' }));

    it('when every enabled target is healthy, then it answers 200 and lists disabled targets with the reason', async () => {
        const response = await call(deps('pat-good', 'ok'));
        expect(response.status).toBe(200);
        const body = response.jsonBody as {
            ok: boolean;
            targets: { target: string; enabled: boolean; ok: boolean; message?: string }[];
        };
        expect(body.ok).toBe(true);
        const byName = Object.fromEntries(body.targets.map((t) => [t.target, t]));
        expect(byName.hubspot).toMatchObject({ enabled: true, ok: true, type: 'hubspot' });
        expect(byName.marketo).toMatchObject({ enabled: false, message: 'disabled: settings not set: MKTO_ID' });
        expect(byName.teams).toMatchObject({ enabled: false, message: 'disabled in the configuration' });
        expect(fake.server.requests.every((r) => r.method === 'GET')).toBe(true);
    });

    it('when a credential is rejected or a target cannot be built, then it answers 503 naming the problem', async () => {
        const response = await call(deps('pat-revoked', 'config-error'));
        expect(response.status).toBe(503);
        const body = response.jsonBody as { ok: boolean; targets: { target: string; ok: boolean; message?: string }[] };
        const byName = Object.fromEntries(body.targets.map((t) => [t.target, t]));
        expect(byName.hubspot).toMatchObject({ ok: false });
        expect(byName.hubspot!.message).toContain('401');
        expect(byName.dynamics!.message).toContain('targets.dynamics.options.environmentUrl');
        expect(JSON.stringify(body)).not.toContain('pat-revoked');
    });

    it('when targets are off on purpose then they say so plainly, without an ok that would make the answer look unhealthy', async () => {
        const response = await call(deps('pat-good', 'ok'));
        const body = response.jsonBody as {
            summary: string;
            targets: { target: string; state: string; ok?: boolean }[];
        };
        const byName = Object.fromEntries(body.targets.map((t) => [t.target, t]));

        expect(byName.marketo).toEqual(expect.objectContaining({ state: 'off' }));
        expect(byName.marketo).not.toHaveProperty('ok');
        expect(byName.teams).toEqual(expect.objectContaining({ state: 'off' }));
        expect(byName.hubspot).toMatchObject({ state: 'healthy', ok: true });
        expect(body.summary).toBe(
            '2 of 4 targets on and healthy: hubspot, dynamics; off: marketo (disabled: settings not set: MKTO_ID), teams (disabled in the configuration)',
        );
    });

    it('when a target is off because its Key Vault reference did not resolve then it is unhealthy and the answer is 503', async () => {
        const d = deps('pat-good', 'ok');
        const states = targetStates(targets, {
            HS_TOKEN: '@Microsoft.KeyVault(SecretUri=https://kv/secrets/hs/)',
            HS_URL: fake.server.url,
        });

        const response = await call({ ...d, config: { ...d.config, targetStates: states } });

        const body = response.jsonBody as {
            ok: boolean;
            targets: { target: string; state: string; message?: string }[];
        };
        const hubspot = body.targets.find((t) => t.target === 'hubspot');
        expect(response.status).toBe(503);
        expect(body.ok).toBe(false);
        expect(hubspot).toMatchObject({ state: 'unhealthy', enabled: false });
        expect(hubspot!.message).toMatch(/Key Vault reference .*HS_TOKEN/u);
        expect(JSON.stringify(body)).not.toContain('kv/secrets');
    });
});
