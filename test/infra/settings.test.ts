import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { defaults, settingNames, tableNames } from '../../shared/names';
import { objectKeys, params, repoRoot, template, templates, unquote, variable } from './bicepTemplates';
import { context } from './bicepValues';

const api = template('app/api.bicep');
const main = template('main.bicep');

/** Settings objects merged into the app's `appsettings` resource, and those passed in from main.bicep. */
const apiSettingVars = [
    'storageSettings',
    'serviceBusSettings',
    'marketplaceSettings',
    'pipelineSettings',
    'monitoringSettings',
    'operationsAuthSettings',
];
const mainSettingVars = ['crmSettings', 'crmSecretSettings'];

/** Keys of every object literal in a settings variable (both branches of `cond ? {} : {…}`). */
function settingKeys(value: ReturnType<typeof variable>): string[] {
    const objects = value.type === 'object' ? [value] : value.descendantsOfType('object');
    return objects.flatMap((o) => objectKeys(o));
}

function appSettingKeys(): string[] {
    return [
        ...apiSettingVars.flatMap((v) => settingKeys(variable(api, v))),
        ...mainSettingVars.flatMap((v) => settingKeys(variable(main, v))),
    ];
}

/** A connection setting is present either as itself or as identity-based `<name>__…` keys. */
function hasSetting(keys: string[], name: string): boolean {
    return keys.includes(name) || keys.some((k) => k.startsWith(`${name}__`));
}

describe('Function App settings', () => {
    it('when the appsettings resource is built, then it merges exactly the settings objects checked here', () => {
        const union = api.source.slice(api.source.indexOf("name: 'appsettings'"));
        for (const v of [...apiSettingVars, 'crmSettings', 'crmSecretSettings']) expect(union).toContain(v);
        for (const v of mainSettingVars) expect(main.source).toMatch(new RegExp(`${v}: ${v}`));
    });

    it('when the code reads a setting from shared/names.ts, then the Function App has it', () => {
        const keys = appSettingKeys();
        expect(Object.values(settingNames).filter((name) => !hasSetting(keys, name))).toEqual([]);
    });

    const pipelineJson = join(repoRoot, 'config/pipeline.json');
    (existsSync(pipelineJson) ? it : it.skip)(
        'when config/pipeline.json references %SETTING%, then the Function App has that setting',
        () => {
            const referenced = [...readFileSync(pipelineJson, 'utf8').matchAll(/%([A-Za-z0-9_]+)%/g)].map((m) => m[1]!);
            expect(referenced.length).toBeGreaterThan(0);
            const keys = appSettingKeys();
            expect([...new Set(referenced)].filter((name) => !hasSetting(keys, name))).toEqual([]);
        },
    );

    it('when a connection is configured, then it is identity-based with the user-assigned identity', () => {
        for (const [v, connection] of [
            ['storageSettings', 'AzureWebJobsStorage'],
            ['serviceBusSettings', 'ServiceBusConnection'],
            ['marketplaceSettings', 'MarketplaceLeadsStorage'],
        ] as const) {
            const keys = settingKeys(variable(api, v));
            expect(keys).toEqual(expect.arrayContaining([`${connection}__credential`, `${connection}__clientId`]));
            expect(keys).not.toContain(connection);
        }
        expect(api.source).toMatch(/ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace/);
        for (const service of ['blob', 'queue', 'table']) {
            expect(objectKeys(variable(api, 'storageSettings'))).toContain(`AzureWebJobsStorage__${service}ServiceUri`);
        }
        expect(settingKeys(variable(api, 'marketplaceSettings'))).toContain('MarketplaceLeadsStorage__tableServiceUri');
        expect(objectKeys(variable(api, 'monitoringSettings'))).toContain('APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
        expect(api.source.match(/__credential: '([^']+)'/g)?.every((m) => m.endsWith("'managedidentity'"))).toBe(true);
    });

    it('when any template is read, then no account key, SAS or key listing appears anywhere', () => {
        for (const t of templates()) {
            expect(t.source).not.toMatch(
                /AccountKey|SharedAccessKey|SharedAccessSignature|listKeys\(|listConnectionStrings|listSecrets\(|sig=/i,
            );
        }
    });

    it('when a parameter holds a secret, then it is @secure() and reaches the app only as a Key Vault reference', () => {
        // A Teams Workflows webhook URL embeds its own signature; the generic lead webhook is signed with a separate secret.
        const secretLike = /secret|token|password|^teamsWebhookUrl$/i;
        for (const t of templates()) {
            const insecure = params(t).filter(
                (p) => secretLike.test(p.name) && !/(Names|Settings)$/.test(p.name) && !p.decorators.includes('secure'),
            );
            expect(insecure.map((p) => `${t.file}: ${p.name}`)).toEqual([]);
        }
        const secure = params(main)
            .filter((p) => p.decorators.includes('secure'))
            .map((p) => p.name);
        expect(secure.length).toBe(7);
        const secretSettings = variable(main, 'crmSecretSettings');
        for (const p of secure) {
            // Used only to fill Key Vault and to decide whether a reference is set: never copied into a setting value.
            const uses = [...main.source.matchAll(new RegExp(`\\b${p}\\b`, 'g'))].length;
            expect(variable(main, 'crmSecretValues').text).toMatch(new RegExp(`: ${p}\\b`));
            expect(secretSettings.text).toMatch(
                new RegExp(`empty\\(${p}\\) \\? '' : '\\$\\{keyVaultReferencePrefix\\}`),
            );
            expect(uses).toBe(3); // declaration, crmSecretValues, the empty() check
        }
        expect(main.source).toMatch(
            /keyVaultReferencePrefix = '@Microsoft\.KeyVault\(SecretUri=\$\{keyVault\.outputs\.uri\}secrets\/'/,
        );
        const kv = template('app/keyvault.bicep');
        expect(params(kv).find((p) => p.name === 'secretValues')?.decorators).toContain('secure');
    });

    it('when the pipeline tables and names are provisioned, then they match shared/names.ts', () => {
        const tables = variable(main, 'pipelineTables').namedChildren.map(unquote);
        expect(tables.sort()).toEqual(Object.values(tableNames).sort());
        expect(main.source).toContain(`param leadEventsQueueName string = '${defaults.leadEventsQueue}'`);
        expect(main.source).toContain(`param taskHubName string = '${defaults.taskHubName}'`);
        expect(main.source).toContain(`param tablePrefix string = '${defaults.tablePrefix}'`);
        expect(main.source).toContain(
            `param marketplaceTablePollSchedule string = '${defaults.marketplaceTablePollSchedule}'`,
        );
        expect(main.source).toContain(`param webhookMaxBodyBytes int = ${defaults.webhookMaxBodyBytes}`);
        expect(main.source).toContain(`param privacyRetentionSchedule string = '${defaults.retentionSchedule}'`);
        expect(main.source).toContain(`rawBodyContainerName: '${defaults.rawBodyContainer}'`);
    });
});

describe('Function App settings, evaluated with the default parameters', () => {
    it('when no marketplace table account is given (the default), then the app gets no MarketplaceLeadsStorage setting, so no poller', () => {
        const marketplace = context(api).scope.get('marketplaceSettings')!();
        expect(marketplace).toEqual({});
    });
});
