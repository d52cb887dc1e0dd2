// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import { HttpRequest } from '@azure/functions';

import { functionNames, operationsRoles, platformSettingNames, settingNames } from '../../shared/names';
import type * as FunctionsCore from '../fakes/functionsCore';

/**
 * Who may call each HTTP function. Every operations route is listed with the role it needs; a new route that is not
 * listed here fails the first test, so adding one means deciding (and reviewing) its role.
 */
const operationsRouteRoles: Record<string, 'read' | 'operate'> = {
    [functionNames.whoAmI]: 'read',
    [functionNames.listLeads]: 'read',
    [functionNames.queryLeads]: 'read',
    [functionNames.getLead]: 'read',
    [functionNames.leadsOverview]: 'read',
    [functionNames.listProblems]: 'read',
    [functionNames.showRules]: 'read',
    [functionNames.listParkedLeads]: 'read',
    [functionNames.targetsHealth]: 'read',
    [functionNames.redeliverLead]: 'operate',
    [functionNames.replayParkedLead]: 'operate',
    [functionNames.whatIfRules]: 'operate',
    [functionNames.assignmentOwners]: 'read',
    [functionNames.setOutOfOffice]: 'operate',
    // The privacy API: the audit shows ids and counts (read); erasing, retrying one and exporting all that is held
    // about a person are the data-protection officer's actions (operate).
    [functionNames.getErasure]: 'read',
    [functionNames.listErasures]: 'read',
    [functionNames.listRetentionRuns]: 'read',
    [functionNames.erasePerson]: 'operate',
    [functionNames.retryErasure]: 'operate',
    [functionNames.exportPerson]: 'operate',
};
/**
 * Not operations routes: the marketplace's webhook (always the function key), the console's static page, and the
 * owners' acknowledgement link (its signed, expiring token is the authorization for that one action).
 */
const publicRoutes: Record<string, 'function' | 'anonymous'> = {
    [functionNames.marketplaceLeadWebhook]: 'function',
    [functionNames.consoleSite]: 'anonymous',
    [functionNames.acknowledgeLead]: 'anonymous',
};

interface HttpRegistration {
    name: string;
    authLevel: string;
    route: string;
    methods: string[];
    handler: ((request: HttpRequest) => Promise<{ status?: number; jsonBody?: unknown }>) & { role?: string };
}

const functionsDir = join(__dirname, '..', '..', 'functions');

/**
 * Loads every function file in a fresh module registry with `env` added to the settings (they stay until
 * {@link restoreSettings}: handlers read them on each call, as in the app) and returns the HTTP functions registered.
 */
function httpFunctions(env: Record<string, string>): HttpRegistration[] {
    restoreSettings();
    Object.assign(process.env, { MarketplaceLeadsStorage: 'UseDevelopmentStorage=true', ...env });
    const found: HttpRegistration[] = [];
    jest.isolateModules(() => {
        /* eslint-disable @typescript-eslint/no-require-imports -- loading each file is what registers it */
        const core = require('../fakes/functionsCore') as typeof FunctionsCore;
        for (const file of readdirSync(functionsDir).filter((f) => f.endsWith('.ts')))
            require(join(functionsDir, basename(file, '.ts')));
        /* eslint-enable @typescript-eslint/no-require-imports */
        for (const { metadata, callback } of core.registrations) {
            const bindings = Object.values(
                (metadata as unknown as { bindings: Record<string, Record<string, unknown>> }).bindings,
            );
            const trigger = bindings.find((b) => b.type === 'httpTrigger');
            if (trigger === undefined) continue;
            found.push({
                name: metadata.name,
                authLevel: trigger.authLevel as string,
                route: trigger.route as string,
                methods: trigger.methods as string[],
                handler: callback as HttpRegistration['handler'],
            });
        }
    });
    return found;
}

const savedSettings = { ...process.env };
function restoreSettings(): void {
    for (const key of Object.keys(process.env)) if (!(key in savedSettings)) delete process.env[key];
    Object.assign(process.env, savedSettings);
}
afterAll(restoreSettings);

const tenantId = '11111111-2222-3333-4444-555555555555';
const clientId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const entraEnv = {
    [settingNames.operationsAuth]: 'entra',
    [settingNames.operationsAuthTenantId]: tenantId,
    [settingNames.operationsAuthClientId]: clientId,
    [platformSettingNames.authEnabled]: 'true',
    // Past the access check every handler reads the app's configuration: a missing rules file makes that a
    // deterministic 503 not-configured, which tells "let through" apart from "refused" without any storage.
    [settingNames.pipelineConfigPath]: join(__dirname, 'no-such-pipeline.json'),
};

const principal = (roles: string[], { tenant = tenantId, aud = clientId } = {}) =>
    Buffer.from(
        JSON.stringify({
            auth_typ: 'aad',
            name_typ: 'name',
            role_typ: 'roles',
            claims: [
                { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: tenant },
                { typ: 'aud', val: aud },
                ...roles.map((r) => ({ typ: 'roles', val: r })),
            ],
        }),
    ).toString('base64');

const call = (fn: HttpRegistration, headers: Record<string, string> = {}) =>
    fn.handler(
        new HttpRequest({
            method: fn.methods[0]!,
            url: `http://app.example/${fn.route.replace(/\{[^}]+\}/gu, 'x1')}`,
            params: { leadId: 'x1', id: 'x1', path: '', erasureId: 'er-20261201T000000Z-00000000' },
            headers,
            ...(fn.methods[0] === 'GET' ? {} : { body: { string: '{}' } }),
        }),
    );

const errorCode = (answer: { jsonBody?: unknown }) =>
    (answer.jsonBody as { error?: { code?: string } } | undefined)?.error?.code;

describe('every operations route checks its caller', () => {
    let entra: HttpRegistration[] = [];
    let guarded: HttpRegistration[] = [];
    beforeAll(() => {
        entra = httpFunctions(entraEnv);
        guarded = entra.filter((f) => !(f.name in publicRoutes));
    });

    it('when the app registers its HTTP functions then each is either public by design or an operations route with a declared role', () => {
        expect(entra.map((f) => f.name).sort()).toEqual(
            [...Object.keys(operationsRouteRoles), ...Object.keys(publicRoutes)].sort(),
        );
        for (const fn of guarded) {
            expect({ name: fn.name, role: fn.handler.role }).toEqual({
                name: fn.name,
                role: operationsRouteRoles[fn.name],
            });
            expect(fn.route).toMatch(/^api\//u);
        }
    });

    it('when OPERATIONS_AUTH is entra then the host lets requests through to the app, which checks them; the webhook keeps its key', () => {
        for (const fn of guarded)
            expect({ name: fn.name, authLevel: fn.authLevel }).toEqual({ name: fn.name, authLevel: 'anonymous' });
        for (const fn of entra.filter((f) => f.name in publicRoutes))
            expect({ name: fn.name, authLevel: fn.authLevel }).toEqual({
                name: fn.name,
                authLevel: publicRoutes[fn.name],
            });
    });

    it('when the function key is the access mode then the host checks the key on every operations route', () => {
        const keyed = httpFunctions({ [settingNames.operationsAuth]: 'function-key' });
        httpFunctions(entraEnv);
        for (const fn of keyed)
            expect({ name: fn.name, authLevel: fn.authLevel }).toEqual({
                name: fn.name,
                authLevel: publicRoutes[fn.name] ?? 'function',
            });
    });

    it('when the access settings are broken then every operations route refuses everyone (503), even an operator', async () => {
        const broken = httpFunctions({ ...entraEnv, [settingNames.operationsAuthTenantId]: 'not-a-guid' });
        try {
            for (const fn of broken.filter((f) => !(f.name in publicRoutes))) {
                const answer = await call(fn, { 'x-ms-client-principal': principal([operationsRoles.operate]) });
                expect({ name: fn.name, status: answer.status, code: errorCode(answer) }).toEqual({
                    name: fn.name,
                    status: 503,
                    code: 'not-configured',
                });
                expect(JSON.stringify(answer.jsonBody)).toContain(settingNames.operationsAuthTenantId);
            }
        } finally {
            httpFunctions(entraEnv);
        }
    });

    it('when no one is signed in, or the sign-in cannot be read, then every operations route answers 401', async () => {
        for (const fn of guarded) {
            for (const headers of [{}, { 'x-ms-client-principal': 'not base64 json' }] as Record<string, string>[]) {
                const answer = await call(fn, headers);
                expect({ name: fn.name, status: answer.status, code: errorCode(answer) }).toEqual({
                    name: fn.name,
                    status: 401,
                    code: 'unauthenticated',
                });
            }
        }
    });

    it('when the caller is of another tenant, signed in for another app, or holds no role then every operations route answers 403', async () => {
        const otherTenant = principal([operationsRoles.operate], { tenant: '99999999-2222-3333-4444-555555555555' });
        const otherApp = principal([operationsRoles.operate], { aud: 'bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee' });
        const noRole = principal(['Some.Other.Role']);
        for (const fn of guarded) {
            for (const p of [otherTenant, otherApp, noRole]) {
                const answer = await call(fn, { 'x-ms-client-principal': p });
                expect({ name: fn.name, status: answer.status, code: errorCode(answer) }).toEqual({
                    name: fn.name,
                    status: 403,
                    code: 'forbidden',
                });
            }
        }
    });

    it('when a reader calls an operate route then it is refused 403; a reader reaches every read route and an operator every route', async () => {
        const reader = { 'x-ms-client-principal': principal([operationsRoles.read]) };
        const operator = { 'x-ms-client-principal': principal([operationsRoles.operate]) };
        for (const fn of guarded) {
            const asReader = await call(fn, reader);
            const asOperator = await call(fn, operator);
            if (operationsRouteRoles[fn.name] === 'operate') {
                expect({ name: fn.name, status: asReader.status }).toEqual({ name: fn.name, status: 403 });
                expect(JSON.stringify(asReader.jsonBody)).toContain(operationsRoles.operate);
            } else {
                expect({ name: fn.name, reached: reachedTheApp(asReader) }).toEqual({ name: fn.name, reached: true });
            }
            expect({ name: fn.name, reached: reachedTheApp(asOperator) }).toEqual({ name: fn.name, reached: true });
        }
    });

    it('when another site posts to a state-changing route through a signed-in browser then it is refused 403', async () => {
        const operator = principal([operationsRoles.operate]);
        for (const fn of guarded.filter((f) => f.methods.some((m) => m !== 'GET'))) {
            for (const headers of [
                { 'x-ms-client-principal': operator, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
                { 'x-ms-client-principal': operator, origin: 'https://evil.example' },
            ] as Record<string, string>[]) {
                const answer = await call(fn, headers);
                expect({ name: fn.name, status: answer.status }).toEqual({ name: fn.name, status: 403 });
            }
        }
    });
});

/**
 * Past the access check: `/api/me` answers, the what-if refuses the empty body as its own bad request, and every
 * other handler stops at the missing rules file (see entraEnv).
 */
function reachedTheApp(answer: { status?: number; jsonBody?: unknown }): boolean {
    if (answer.status === 200) return true;
    const code = errorCode(answer);
    return (answer.status === 503 && code === 'not-configured') || (answer.status === 400 && code === 'bad-request');
}
