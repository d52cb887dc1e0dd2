import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { allResources, body, infraDir, modules, path, template, templates } from './bicepTemplates';

/** Built-in role definition ids (stable across tenants) with the name each module's comment must give. */
const roles = {
    storageBlobDataOwner: ['b7e6dc6d-f1e8-4753-8033-0f276bb0955b', 'Storage Blob Data Owner'],
    storageQueueDataContributor: ['974c5e8b-45b9-4653-ba55-5f855dd0fb88', 'Storage Queue Data Contributor'],
    storageTableDataContributor: ['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', 'Storage Table Data Contributor'],
    storageTableDataReader: ['76199698-9eea-4c19-bc75-cec21354c6b6', 'Storage Table Data Reader'],
    serviceBusDataSender: ['69a216fc-b8fb-44d8-bc22-1f3c2cd27a39', 'Azure Service Bus Data Sender'],
    serviceBusDataReceiver: ['4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0', 'Azure Service Bus Data Receiver'],
    keyVaultSecretsUser: ['4633458b-17de-408a-b874-0445c86b69e6', 'Key Vault Secrets User'],
    monitoringMetricsPublisher: ['3913510d-42f4-4e42-8a64-420c390055eb', 'Monitoring Metrics Publisher'],
    durableTaskDataContributor: ['0ad04412-c4d5-4796-b79c-f76d14c8d402', 'Durable Task Data Contributor'],
    keyVaultSecretsOfficer: ['b86a8fe4-44ce-4948-aee5-eccb2c155cd7', 'Key Vault Secrets Officer'],
    durableTaskDataReader: ['d6a5505f-6ebb-45a4-896e-ac8274cfc0ac', 'Durable Task Data Reader'],
} as const;

/** What each identity-based connection needs, and the module that grants it. */
const needs: [connection: string, module: string, role: keyof typeof roles][] = [
    ['AzureWebJobsStorage (host leases, deployment package, raw bodies)', 'storage-access', 'storageBlobDataOwner'],
    ['AzureWebJobsStorage (Durable queues)', 'storage-access', 'storageQueueDataContributor'],
    ['AzureWebJobsStorage (pipeline + Durable tables)', 'storage-access', 'storageTableDataContributor'],
    ['ServiceBusConnection (webhook and poller publish)', 'servicebus-access', 'serviceBusDataSender'],
    ['ServiceBusConnection (starter, dead-letter handler)', 'servicebus-access', 'serviceBusDataReceiver'],
    ['Key Vault references', 'keyvault-access', 'keyVaultSecretsUser'],
    ['APPLICATIONINSIGHTS_AUTHENTICATION_STRING', 'monitoring-access', 'monitoringMetricsPublisher'],
    ['DURABLE_TASK_SCHEDULER_CONNECTION_STRING', 'durabletask-access', 'durableTaskDataContributor'],
    ['MarketplaceLeadsStorage (publisher account)', 'marketplace-storage-access', 'storageTableDataReader'],
    ['secret rotation by the deploying user', 'keyvault-officer-access', 'keyVaultSecretsOfficer'],
    ['the deploying user reading their leads (optional)', 'deployer-data-access', 'storageTableDataReader'],
    ['the deploying user on the scheduler dashboard (optional)', 'deployer-data-access', 'durableTaskDataReader'],
];

/** Modules granted to the person running azd (AZURE_PRINCIPAL_ID) rather than to the app's identity. */
const userModules = ['app/rbac/keyvault-officer-access.bicep', 'app/rbac/deployer-data-access.bicep'];

const rbacFiles = templates().filter((t) => t.file.startsWith('app/rbac/'));

describe('role assignments', () => {
    it.each(needs)('when %s is used, then %s grants %s', (_connection, module, role) => {
        const t = template(`app/rbac/${module}.bicep`);
        const [id, name] = roles[role];
        // The id is held in a named variable with a comment naming the role right above it.
        expect(t.source).toMatch(new RegExp(`// ${name}\\b[^\\n]*\\nvar \\w+RoleId = '${id}'`));
    });

    it('when a role is assigned, then the assignment is named guid(scope, principal, role) and targets a service principal', () => {
        const assignments = allResources().filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
        expect(assignments.length).toBeGreaterThanOrEqual(rbacFiles.length);
        for (const a of assignments) {
            const b = body(a.node);
            const name = path(b, 'name');
            expect(name?.type).toBe('call_expression');
            expect(name?.text).toMatch(/^guid\(\w+\.id, principalId, \w+\)$/);
            expect(path(b, 'properties.principalType')?.text).toBe('principalType');
            expect(path(b, 'properties.roleDefinitionId')?.text).toMatch(
                /^subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', \w+\)$/,
            );
            expect(path(b, 'scope')).toBeDefined();
        }
    });

    it('when roles are assigned, then each lives in its own module under app/rbac and never in a resource module', () => {
        const outside = allResources().filter(
            (r) => r.type === 'Microsoft.Authorization/roleAssignments' && !r.file.startsWith('app/rbac/'),
        );
        expect(outside.map((r) => r.file)).toEqual([]);
        for (const t of rbacFiles) {
            const expected = userModules.includes(t.file) ? 'User' : 'ServicePrincipal';
            expect(t.source).toContain(`param principalType string = '${expected}'`);
        }
    });

    it('when main.bicep wires the modules, then every rbac module but the rotation one is given the app identity', () => {
        const main = template('main.bicep');
        const used = modules(main).filter((m) => m.path.startsWith('app/rbac/'));
        expect(used.map((m) => m.path).sort()).toEqual(rbacFiles.map((t) => t.file).sort());
        for (const m of used) {
            if (userModules.includes(m.path)) {
                expect(m.node.text).toContain('principalId: principalId');
                // azd's AZURE_PRINCIPAL_TYPE: a CI run under a service principal would get UnmatchedPrincipalType.
                expect(m.node.text).toContain('principalType: principalType');
            } else expect(m.node.text).toContain('principalId: identity.outputs.principalId');
        }
        expect(main.source).toMatch(/@allowed\(\['User', 'ServicePrincipal'\]\)\s*param principalType string = 'User'/);
        const parameters = readFileSync(join(infraDir, 'main.parameters.json'), 'utf8');
        expect(parameters).toContain('"principalType": { "value": "${AZURE_PRINCIPAL_TYPE=User}" }');
    });

    it('when the app module is deployed, then it waits for every role assignment of the app identity (Key Vault references resolve at once)', () => {
        const main = template('main.bicep');
        const api = modules(main).find((m) => m.symbol === 'api')!;
        const dependsOn = /dependsOn: \[([^\]]*)\]/.exec(api.node.text)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
        const appIdentityModules = modules(main)
            .filter((m) => m.path.startsWith('app/rbac/') && !userModules.includes(m.path))
            .map((m) => m.symbol);
        expect(appIdentityModules).toContain('keyVaultAccess');
        expect(dependsOn.sort()).toEqual(appIdentityModules.sort());
    });
});
