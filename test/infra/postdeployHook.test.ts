import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { repoRoot } from './bicepTemplates';

const fakeAz = join(__dirname, 'fakeAz');
const subscription = '00000000-0000-0000-0000-00000000aaaa';
const url = 'https://func-api-abc.azurewebsites.net/api/marketplace/leads';

interface FakeState {
    loggedIn: boolean;
    subscriptions: string[];
    defaultSubscription: string;
    tenantId: string;
    nextGeneratedKey: string;
    apps: Record<
        string,
        {
            notIndexedFor?: number;
            functions: Record<string, { invokeUrlTemplate: string; keys: Record<string, string>; listFails?: string }>;
        }
    >;
    calls: string[][];
}

function state(
    overrides: Partial<FakeState> = {},
    keys: Record<string, string> = { default: 'host-generated-default' },
): FakeState {
    return {
        loggedIn: true,
        subscriptions: [subscription],
        defaultSubscription: subscription,
        tenantId: 'tenant-1',
        nextGeneratedKey: 'NewKey_generated-by-Azure==',
        apps: { 'rg-leads/func-api-abc': { functions: { marketplaceLeadWebhook: { invokeUrlTemplate: url, keys } } } },
        calls: [],
        ...overrides,
    };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fake-az-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runHook(initial: FakeState, env: Record<string, string> = {}) {
    const statePath = join(dir, 'state.json');
    writeFileSync(statePath, JSON.stringify(initial));
    const result = spawnSync('sh', [join(repoRoot, 'infra/hooks/postdeploy.sh')], {
        encoding: 'utf8',
        env: {
            PATH: `${fakeAz}${delimiter}${process.env.PATH ?? ''}`,
            FAKE_AZ_STATE: statePath,
            AZURE_RESOURCE_GROUP: 'rg-leads',
            AZURE_FUNCTION_APP_NAME: 'func-api-abc',
            AZURE_SUBSCRIPTION_ID: subscription,
            AZURE_TENANT_ID: 'tenant-1',
            POSTDEPLOY_WAIT_SECONDS: '0',
            ...env,
        },
    });
    const after = JSON.parse(readFileSync(statePath, 'utf8')) as FakeState;
    const sets = after.calls.filter((c) => c.slice(0, 4).join(' ') === 'functionapp function keys set');
    return { ...result, after, sets, output: result.stdout + result.stderr };
}

describe('postdeploy hook (sh) against a stand-in az that behaves like Azure CLI >= 2.54', () => {
    it('when the Partner Center key does not exist yet, then it is created once and the URL carries the value read with keys list', () => {
        const r = runHook(state());
        expect(r.status).toBe(0);
        expect(r.sets).toHaveLength(1);
        // `keys set` prints no key since 2.54: the value comes from `keys list`.
        expect(r.stdout).toContain(`${url}?code=NewKey_generated-by-Azure%3D%3D`);
        expect(r.stdout).not.toMatch(/code=\s*$/m);
    });

    it('when the key already exists, then it is reused and never replaced, so the URL in Partner Center stays valid', () => {
        const r = runHook(state({}, { 'partner-center': 'ExistingKey123', default: 'x' }));
        expect(r.status).toBe(0);
        expect(r.sets).toEqual([]);
        expect(r.stdout).toContain(`${url}?code=ExistingKey123`);
    });

    it('when the key list cannot be read, then nothing is set (a failed listing must not replace the key)', () => {
        const s = state();
        s.apps['rg-leads/func-api-abc']!.functions.marketplaceLeadWebhook!.listFails =
            '(AuthorizationFailed) no access';
        const r = runHook(s);
        expect(r.status).toBe(1);
        expect(r.sets).toEqual([]);
        expect(r.output).toMatch(/Could not list the keys of marketplaceLeadWebhook.*nothing was changed/);
    });

    it('when az is not signed in, then it says to run az login (with the tenant) and touches nothing', () => {
        const r = runHook(state({ loggedIn: false }));
        expect(r.status).toBe(1);
        expect(r.stdout).toContain(`not signed in to subscription ${subscription}`);
        expect(r.stdout).toContain('az login --tenant tenant-1');
        expect(r.stdout).toContain('azd hooks run postdeploy');
        expect(r.after.calls.every((c) => c[0] === 'account')).toBe(true);
    });

    it('when az is signed in to another subscription only, then it reports the subscription azd used', () => {
        const r = runHook(state({ subscriptions: ['11111111-other'], defaultSubscription: '11111111-other' }));
        expect(r.status).toBe(1);
        expect(r.stdout).toContain(`not signed in to subscription ${subscription}`);
        expect(r.sets).toEqual([]);
    });

    it("when the CLI's default subscription differs, then every call names the azd subscription and it still works", () => {
        const r = runHook(
            state({ subscriptions: ['11111111-other', subscription], defaultSubscription: '11111111-other' }),
        );
        expect(r.status).toBe(0);
        expect(r.after.calls.every((c) => c.join(' ').includes(`--subscription ${subscription}`))).toBe(true);
    });

    it('when the host is still indexing functions right after deploy, then it retries until the function is listed', () => {
        const s = state();
        s.apps['rg-leads/func-api-abc']!.notIndexedFor = 3;
        const r = runHook(s);
        expect(r.status).toBe(0);
        expect(r.after.calls.filter((c) => c[2] === 'show')).toHaveLength(4);
    });

    it('when a key holds + / = characters, then they are percent-encoded in the URL', () => {
        const r = runHook(state({}, { 'partner-center': 'a+b/c==' }));
        expect(r.stdout).toContain('?code=a%2Bb%2Fc%3D%3D');
    });

    it('when WEBHOOK_KEY_NAME names a new key (rotation), then that key is created beside the old one', () => {
        const r = runHook(state({}, { 'partner-center': 'OldKey' }), { WEBHOOK_KEY_NAME: 'partner-center-2' });
        expect(r.status).toBe(0);
        expect(r.sets).toHaveLength(1);
        expect(r.sets[0]).toEqual(expect.arrayContaining(['--key-name', 'partner-center-2']));
        expect(r.after.apps['rg-leads/func-api-abc']!.functions.marketplaceLeadWebhook!.keys['partner-center']).toBe(
            'OldKey',
        );
    });

    it('when the stand-in is given an argument the real CLI rejects, then it fails as argparse does', () => {
        const statePath = join(dir, 'state.json');
        writeFileSync(statePath, JSON.stringify(state()));
        const r = spawnSync(
            join(fakeAz, 'az'),
            ['functionapp', 'function', 'keys', 'set', '-g', 'rg-leads', '--bogus', 'x'],
            {
                encoding: 'utf8',
                env: { ...process.env, FAKE_AZ_STATE: statePath },
            },
        );
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/unrecognized arguments: --bogus/);
    });
});

describe('postdeploy hook (PowerShell)', () => {
    // Debian's archive has no PowerShell package (apt-cache search powershell/pwsh finds nothing), so CI cannot run
    // postdeploy.ps1; these check that it follows the same rules as the tested sh script.
    const ps1 = readFileSync(join(repoRoot, 'infra/hooks/postdeploy.ps1'), 'utf8');

    it('when it reads the key, then it parses keys list JSON instead of quoting a --query (broken quoting on Windows)', () => {
        expect(ps1).toMatch(/az functionapp function keys list @appArgs -o json/);
        expect(ps1).toMatch(/ConvertFrom-Json/);
        expect(ps1).not.toMatch(/--query "`"/);
        expect(ps1).not.toMatch(/keys set[^\n]*--query value/);
    });

    it('when the listing fails, then it stops before keys set; when set, it reads the value back with keys list', () => {
        const listFailure = ps1.indexOf('if (-not $listed)');
        const set = ps1.indexOf('keys set @appArgs');
        expect(listFailure).toBeGreaterThan(0);
        expect(set).toBeGreaterThan(listFailure);
        expect(ps1.slice(set)).toMatch(/\$key = \(Get-WebhookKey\)\.value/);
    });

    it('when az is signed out or on another subscription, then it says to run az login and names the subscription azd used', () => {
        expect(ps1).toMatch(/az account show -o none @subscriptionArgs/);
        expect(ps1).toMatch(/--subscription', \$subscription/);
        expect(ps1).toMatch(/az login\$tenant/);
        expect(ps1).toMatch(/EscapeDataString\(\$key\)/);
    });
});
