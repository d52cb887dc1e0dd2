import { loadConfig } from '../../shared/config';
import { ConfigError } from '../../shared/domain/errors';

describe('shared/config', () => {
    it('when required settings are missing or malformed then one error names every problem', () => {
        let error: unknown;
        try {
            loadConfig({ WEBHOOK_MAX_BODY_BYTES: String(10 * 1024 * 1024), PIPELINE_TABLE_PREFIX: '1bad' });
        } catch (err) {
            error = err;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems.map((p) => p.path).sort()).toEqual([
            'AzureWebJobsStorage',
            'PIPELINE_TABLE_PREFIX',
            'ServiceBusConnection',
            'WEBHOOK_MAX_BODY_BYTES',
        ]);
    });

    it('when a target is enabled "auto" then it is enabled exactly when its settings have values', () => {
        const config = loadConfig({
            AzureWebJobsStorage: 'UseDevelopmentStorage=true',
            ServiceBusConnection__fullyQualifiedNamespace: 'ns.servicebus.windows.net',
            LEAD_WEBHOOK_URL: 'http://127.0.0.1:1/hook',
            LEAD_WEBHOOK_SECRET: 'secret-secret-secret',
            HUBSPOT_TOKEN: '',
        });

        expect(config.enabledTargets.has('leadWebhook')).toBe(true);
        expect(config.enabledTargets.has('hubspot')).toBe(false);
        expect(config.leadEventsQueue).toBe('lead-events');
        expect(config.webhookMaxBodyBytes).toBe(262144);
        expect(config.serviceBus).toEqual({
            fullyQualifiedNamespace: 'ns.servicebus.windows.net',
            clientId: undefined,
        });
        expect(Object.isFrozen(config)).toBe(true);
    });
});

describe('shared/config target states', () => {
    const base = {
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        ServiceBusConnection__fullyQualifiedNamespace: 'ns.servicebus.windows.net',
    };
    const unresolved = '@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/hubspot-token/)';

    it('when a target setting still holds an unresolved Key Vault reference then the target is off, saying so, and the text is never a value', () => {
        const config = loadConfig({ ...base, HUBSPOT_TOKEN: unresolved });

        expect(config.enabledTargets.has('hubspot')).toBe(false);
        expect(config.targetStates.hubspot).toEqual({
            enabled: false,
            reason: expect.stringContaining('Key Vault reference the platform could not resolve: HUBSPOT_TOKEN'),
            unsetSettings: [],
            unresolvedSettings: ['HUBSPOT_TOKEN'],
        });
        expect(config.setting('HUBSPOT_TOKEN')).toBeUndefined();
    });

    it('when a target is auto and a setting is empty then it is off naming the setting; disabled targets say so', () => {
        const config = loadConfig({ ...base, LEAD_WEBHOOK_URL: 'http://127.0.0.1:1/hook' });

        expect(config.targetStates.leadWebhook).toMatchObject({
            enabled: false,
            reason: 'settings not set: LEAD_WEBHOOK_SECRET',
            unsetSettings: ['LEAD_WEBHOOK_SECRET'],
        });
    });

    it('when storage holds an unresolved Key Vault reference then start-up names it as such', () => {
        expect(() => loadConfig({ ...base, AzureWebJobsStorage: unresolved })).toThrow(
            /AzureWebJobsStorage: holds a Key Vault reference the platform could not resolve/u,
        );
    });

    it('when telemetry settings are set then the loaded configuration carries them', () => {
        const config = loadConfig({
            ...base,
            APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=1',
            APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
            WEBSITE_SITE_NAME: 'func-api-x',
        });

        expect(config.telemetry).toEqual({
            connectionString: 'InstrumentationKey=1',
            authenticationString: 'Authorization=AAD',
            serviceName: 'func-api-x',
        });
    });
});
