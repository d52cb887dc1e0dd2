import { createTarget } from '../../../shared/adapters/createTarget';
import { clearSharedTokenCaches } from '../../../shared/adapters/crmKit/TokenCache';
import type { TargetConfig } from '../../../shared/domain';
import { makeDeps, makeRequest } from '../../contract/support/fixtures';

/** A server that never answers: every call waits until its own signal gives up on it. */
function hangingFetch() {
    const calls: string[] = [];
    const fetch = ((url: string | URL | Request, init?: RequestInit) => {
        calls.push(url instanceof Request ? url.url : url.toString());
        return new Promise<Response>((_resolve, reject) => {
            const signal = init?.signal;
            if (signal == null) return;
            signal.addEventListener('abort', () => reject(new Error('aborted', { cause: signal.reason })), {
                once: true,
            });
        });
    }) as typeof globalThis.fetch;
    return { fetch, calls };
}

const url = 'https://crm.invalid';
const settings: Record<string, string> = {
    URL: url,
    SECRET: 'a-webhook-secret-of-32-characters',
    TOKEN: 'pat-token',
    ID: 'client-id',
    KEY: 'client-secret',
    TENANT: 'tenant-id',
    OID: '00D000000000001',
};

/** One configured target of every type (and both Salesforce modes); each first call hangs. */
const targets: Record<string, TargetConfig> = {
    webhook: { type: 'webhook', role: 'notify', enabled: true, options: { url: '%URL%/hook', secret: '%SECRET%' } },
    teams: {
        type: 'teams',
        role: 'notify',
        enabled: true,
        options: { webhookUrl: '%URL%/workflows/w1/triggers/manual/paths/invoke?sig=s' },
    },
    hubspot: { type: 'hubspot', role: 'outreach', enabled: true, options: { token: '%TOKEN%', baseUrl: '%URL%' } },
    marketo: {
        type: 'marketo',
        role: 'outreach',
        enabled: true,
        options: { baseUrl: '%URL%', clientId: '%ID%', clientSecret: '%KEY%' },
    },
    salesforce: {
        type: 'salesforce',
        role: 'outreach',
        enabled: true,
        options: { loginUrl: '%URL%', clientId: '%ID%', clientSecret: '%KEY%', externalIdField: 'Key__c' },
    },
    webToLead: {
        type: 'salesforce',
        role: 'outreach',
        enabled: true,
        options: { mode: 'web-to-lead', oid: '%OID%', webToLeadUrl: '%URL%/servlet' },
    },
    dynamics: {
        type: 'dynamics365',
        role: 'outreach',
        enabled: true,
        options: {
            environmentUrl: '%URL%',
            tenantId: '%TENANT%',
            clientId: '%ID%',
            clientSecret: '%KEY%',
            authorityHost: '%URL%',
            disableInstanceDiscovery: true,
        },
    },
};

/** Delivers to `name` against a server that never answers, with the pipeline's `delivery.timeoutSeconds` given. */
async function deliverToHangingServer(name: string, deliveryTimeoutMs: number, options: Record<string, unknown> = {}) {
    const { fetch, calls } = hangingFetch();
    const config = { ...targets[name]!, options: { ...targets[name]!.options, ...options } };
    const target = createTarget(name, config, makeDeps(settings, { fetch, timeoutMs: deliveryTimeoutMs }));
    const started = Date.now();
    const error = await target.deliver(makeRequest(name)).then(
        () => undefined,
        (err: unknown) => err as Error & { details?: { code?: string } },
    );
    return { error, ms: Date.now() - started, calls };
}

afterEach(() => clearSharedTokenCaches());

describe('which timeout applies to a target’s calls', () => {
    it.each(Object.keys(targets))(
        'when %s’s options set no timeout then delivery.timeoutSeconds gives up on a call that never answers',
        async (name) => {
            const { error, ms, calls } = await deliverToHangingServer(name, 300);

            expect(error?.name).toBe('TransientError');
            expect(calls.length).toBeGreaterThan(0);
            // The first call is given up after the delivery timeout; identity's one retry may make it two.
            expect(ms).toBeGreaterThanOrEqual(290);
            expect(ms).toBeLessThan(2_500);
        },
    );

    it.each([
        ['webhook', { timeoutSeconds: 0.6 }],
        ['hubspot', { timeoutSeconds: 0.6 }],
        ['teams', { timeoutMs: 1000 }],
    ])('when %s’s options set %j then that timeout applies instead of the delivery one', async (name, options) => {
        const { error, ms } = await deliverToHangingServer(name, 100, options);
        const own = 'timeoutMs' in options ? options.timeoutMs : options.timeoutSeconds * 1000;

        expect(error).toMatchObject({ name: 'TransientError', details: { code: 'timeout' } });
        expect(ms).toBeGreaterThanOrEqual(own - 10);
    });

    it('when a target sets both timeoutSeconds and timeoutMs, or a negative one, then its options are refused', () => {
        const build = (options: Record<string, unknown>) => () =>
            createTarget(
                'webhook',
                { ...targets.webhook!, options: { ...targets.webhook!.options, ...options } },
                makeDeps(settings),
            );

        expect(build({ timeoutSeconds: -5 })).toThrow(
            /targets\.webhook\.options\.timeoutSeconds: must be a positive number/u,
        );
        expect(build({ timeoutSeconds: 5, timeoutMs: 5000 })).toThrow(/set timeoutSeconds or timeoutMs, not both/u);
    });
});
