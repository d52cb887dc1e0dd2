import { allResources, body, path, template, unquote } from './bicepTemplates';

/** The API version each resource type is declared with; a change here is a deliberate upgrade. */
const expectedApiVersions: Record<string, string> = {
    'Microsoft.Resources/resourceGroups': '2024-03-01',
    'Microsoft.ManagedIdentity/userAssignedIdentities': '2023-01-31',
    'Microsoft.Storage/storageAccounts': '2024-01-01',
    'Microsoft.Storage/storageAccounts/blobServices': '2024-01-01',
    'Microsoft.Storage/storageAccounts/blobServices/containers': '2024-01-01',
    'Microsoft.Storage/storageAccounts/tableServices': '2024-01-01',
    'Microsoft.Storage/storageAccounts/tableServices/tables': '2024-01-01',
    'Microsoft.Web/serverfarms': '2024-04-01',
    'Microsoft.Web/sites': '2024-04-01',
    'Microsoft.Web/sites/config': '2024-04-01',
    'Microsoft.ServiceBus/namespaces': '2024-01-01',
    'Microsoft.ServiceBus/namespaces/queues': '2024-01-01',
    'Microsoft.OperationalInsights/workspaces': '2023-09-01',
    'Microsoft.Insights/components': '2020-02-02',
    'Microsoft.KeyVault/vaults': '2023-07-01',
    'Microsoft.KeyVault/vaults/secrets': '2023-07-01',
    'Microsoft.Authorization/roleAssignments': '2022-04-01',
    'Microsoft.DurableTask/schedulers': '2025-11-01',
    'Microsoft.DurableTask/schedulers/taskHubs': '2025-11-01',
    'Microsoft.Insights/actionGroups': '2023-01-01',
    'Microsoft.Insights/metricAlerts': '2018-03-01',
    'Microsoft.Insights/scheduledQueryRules': '2023-12-01',
    'Microsoft.Insights/workbooks': '2023-06-01',
};

function declared(type: string) {
    const found = allResources().filter((r) => r.type === type && !r.existing);
    if (found.length === 0) throw new Error(`no ${type} is declared`);
    return found[0]!;
}

function prop(type: string, dotted: string): string | undefined {
    return path(body(declared(type).node), dotted)?.text;
}

describe('Bicep resources', () => {
    it('when resources are declared, then every type the pipeline needs is present', () => {
        const types = new Set(
            allResources()
                .filter((r) => !r.existing)
                .map((r) => r.type),
        );
        expect([...Object.keys(expectedApiVersions)].filter((t) => !types.has(t))).toEqual([]);
    });

    it('when a resource is declared or referenced, then it uses the pinned, non-preview API version', () => {
        const wrong = allResources()
            .filter((r) => expectedApiVersions[r.type] !== r.apiVersion || r.apiVersion.includes('preview'))
            .map((r) => `${r.file}: ${r.type}@${r.apiVersion}`);
        expect(wrong).toEqual([]);
    });

    it('when the Function App is declared, then it runs Node 22 on Flex Consumption (FC1) with a bounded scale-out', () => {
        expect(prop('Microsoft.Web/serverfarms', 'sku.name')).toBe("'FC1'");
        expect(prop('Microsoft.Web/serverfarms', 'sku.tier')).toBe("'FlexConsumption'");
        expect(prop('Microsoft.Web/sites', 'kind')).toBe("'functionapp,linux'");
        expect(prop('Microsoft.Web/sites', 'properties.functionAppConfig.runtime.name')).toBe("'node'");
        expect(prop('Microsoft.Web/sites', 'properties.functionAppConfig.runtime.version')).toBe("'22'");
        expect(
            prop('Microsoft.Web/sites', 'properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount'),
        ).toBe('maximumInstanceCount');
        const main = template('main.bicep').source;
        // Flex Consumption's lowest maximum instance count is 40 (Event-driven scaling, Flex Consumption plan).
        expect(main).toMatch(/@minValue\(40\)\s*@maxValue\(1000\)\s*param maximumInstanceCount int/);
        expect(template('app/api.bicep').source).toMatch(
            /@minValue\(40\)\s*@maxValue\(1000\)\s*param maximumInstanceCount int/,
        );
    });

    it('when the app deploys its package, then Flex Consumption reads it from a blob container with the identity', () => {
        const storage = 'properties.functionAppConfig.deployment.storage';
        expect(prop('Microsoft.Web/sites', `${storage}.type`)).toBe("'blobContainer'");
        expect(prop('Microsoft.Web/sites', `${storage}.authentication.type`)).toBe("'UserAssignedIdentity'");
        expect(prop('Microsoft.Web/sites', 'identity.type')).toBe("'UserAssigned'");
        expect(prop('Microsoft.Web/sites', 'properties.keyVaultReferenceIdentity')).toBe('identityId');
    });

    it('when storage and Service Bus are declared, then shared keys and SAS are disabled', () => {
        expect(prop('Microsoft.Storage/storageAccounts', 'properties.allowSharedKeyAccess')).toBe('false');
        expect(prop('Microsoft.Storage/storageAccounts', 'properties.allowBlobPublicAccess')).toBe('false');
        expect(prop('Microsoft.ServiceBus/namespaces', 'properties.disableLocalAuth')).toBe('true');
        expect(prop('Microsoft.Insights/components', 'properties.DisableLocalAuth')).toBe('true');
        expect(prop('Microsoft.KeyVault/vaults', 'properties.enableRbacAuthorization')).toBe('true');
    });

    it('when the lead-events queue is declared, then duplicates are detected, deliveries bounded and expiry dead-lettered', () => {
        expect(prop('Microsoft.ServiceBus/namespaces', 'sku.name')).toBe("'Standard'");
        const queue = 'Microsoft.ServiceBus/namespaces/queues';
        expect(prop(queue, 'properties.requiresDuplicateDetection')).toBe('true');
        expect(prop(queue, 'properties.duplicateDetectionHistoryTimeWindow')).toBe('duplicateDetectionWindow');
        expect(prop(queue, 'properties.maxDeliveryCount')).toBe('maxDeliveryCount');
        expect(prop(queue, 'properties.deadLetteringOnMessageExpiration')).toBe('true');
        expect(template('main.bicep').source).toMatch(/param duplicateDetectionWindow string/);
    });

    it('when alerts are declared, then dead letters, parked leads, failed and stalled deliveries, failures and silence are covered', () => {
        const alerts = template('app/alerts.bicep').source;
        expect(alerts).toMatch(/metricName: 'DeadletteredMessages'/);
        for (const name of ['parked-leads', 'failed-deliveries', 'stalled-deliveries', 'function-failures']) {
            expect(alerts).toContain(`name: '${name}'`);
        }
        expect(alerts).toContain("name: '${namePrefix}-no-leads'");
        expect(alerts).toMatch(/emailAddress: alertEmail/);
        expect(template('main.bicep').source).toMatch(/param alertEmail string/);
        expect(template('main.bicep').source).toMatch(/param noLeadAlertDays int/);
    });

    it('when the Durable backend is chosen in host.json, then provisioning reads it there and the scheduler exists only for azureManaged', () => {
        const main = template('main.bicep');
        expect(main.source).not.toMatch(/param durableBackend/);
        expect(main.source).toMatch(
            /var durableStorageProvider = loadJsonContent\('\.\.\/host\.json'\)\.extensions\.durableTask\.storageProvider\.type/,
        );
        expect(main.source).toMatch(
            /durableStorageProvider == 'azureManaged' \? 'DurableTaskScheduler' : 'AzureStorage'/,
        );
        expect(main.source).toMatch(/module durableTaskScheduler '[^']+' = if \(useDurableTaskScheduler\)/);
        const api = template('app/api.bicep').source;
        expect(api).toMatch(/DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=/);
        // App-setting overrides of host.json are invisible to the scale controller: the choice lives in host.json only.
        expect(api).not.toMatch(/AzureFunctionsJobHost__extensions__durableTask/);
        expect(unquote(path(body(declared('Microsoft.DurableTask/schedulers').node), 'properties.sku.name')!)).toBe(
            'skuName',
        );
    });
});
