// The Function App on Flex Consumption (FC1), Node 22, with every app setting the code reads. All data-plane
// connections are identity-based (`<connection>__credential` / `__clientId` with the user-assigned identity) and CRM
// secrets are Key Vault references resolved with the same identity: no key or secret is stored in app settings.
param name string
param planName string
param location string
param tags object = {}
param identityId string
param identityClientId string

@description('Flex Consumption scale limit (instances); the platform accepts 40 to 1,000.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int
@allowed([512, 2048, 4096])
param instanceMemoryMB int

param storageAccountName string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerName string

param applicationInsightsConnectionString string
param serviceBusFullyQualifiedNamespace string
param leadEventsQueueName string

@description('Account holding the marketplace\'s MarketplaceLeads table; empty when the table destination is not used.')
param marketplaceLeadsAccountName string
param marketplaceLeadsTableEndpoint string

param taskHubName string
@allowed(['AzureStorage', 'DurableTaskScheduler'])
param durableBackend string
@description('Durable Task Scheduler endpoint; empty with the Azure Storage backend.')
param durableTaskSchedulerEndpoint string = ''

param marketplaceTablePollSchedule string
param privacyRetentionSchedule string
param tablePrefix string
param webhookMaxBodyBytes int
@description('Empty: the code uses config/pipeline.json from the deployed package.')
param pipelineConfigPath string = ''

@description('Non-secret CRM target settings (URLs, tenant and client ids), referenced from config/pipeline.json.')
param crmSettings object
@description('Secret CRM settings: each value a Key Vault reference, or empty when the secret was not provided.')
param crmSecretSettings object

@description('Client id of the lead console\'s Entra ID app registration (docs/console.md); empty keeps the operations API on function keys.')
param consoleAuthClientId string = ''
@description('The publisher\'s Entra ID tenant: only its accounts can sign in to the console.')
param consoleAuthTenantId string = tenant().tenantId

// Identity-based AzureWebJobsStorage: the host, Durable Functions (Azure Storage backend) and the pipeline's
// tables/blobs all use these. `__accountName` is what shared/config.ts reads; the service URIs are what the host and
// the Durable extension prefer.
var storageSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
}

var serviceBusSettings = {
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  LEAD_EVENTS_QUEUE: leadEventsQueueName
}

// Only with a table destination: without MarketplaceLeadsStorage the app registers no poller (shared/config.ts
// marketplaceTableConfigured), so no timer wakes the app every minute against a table nobody writes.
var marketplaceSettings = empty(marketplaceLeadsAccountName)
  ? {}
  : {
      MarketplaceLeadsStorage__accountName: marketplaceLeadsAccountName
      MarketplaceLeadsStorage__tableServiceUri: marketplaceLeadsTableEndpoint
      MarketplaceLeadsStorage__credential: 'managedidentity'
      MarketplaceLeadsStorage__clientId: identityClientId
      MARKETPLACE_TABLE_POLL_SCHEDULE: marketplaceTablePollSchedule
    }

var pipelineSettings = {
  PRIVACY_RETENTION_SCHEDULE: privacyRetentionSchedule
  TASKHUB_NAME: taskHubName
  PIPELINE_TABLE_PREFIX: tablePrefix
  WEBHOOK_MAX_BODY_BYTES: string(webhookMaxBodyBytes)
  PIPELINE_CONFIG_PATH: pipelineConfigPath
}

// Local auth is disabled on Application Insights: both the host and the worker's exporter authenticate with Entra ID.
var monitoringSettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

// The backend itself is chosen in host.json (storageProvider.type), which the scale controller reads; app-setting
// overrides of host.json are seen by the host but not by the scale controller. This is only the connection that
// host.json's storageProvider.connectionStringName names.
var durableTaskSchedulerSettings = durableBackend == 'DurableTaskScheduler'
  ? {
      DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${durableTaskSchedulerEndpoint};Authentication=ManagedIdentity;ClientID=${identityClientId}'
    }
  : {}

// With a console app registration, people sign in with Entra ID (App Service authentication) and the operations API
// checks the injected principal itself: its functions become anonymous to the host (shared/config.ts
// operationsAuthLevel), and a caller without the tenant, audience or role gets 401/403 from the app.
var consoleAuthOn = !empty(consoleAuthClientId)
var operationsAuthSettings = consoleAuthOn
  ? {
      OPERATIONS_AUTH: 'entra'
      OPERATIONS_AUTH_TENANT_ID: consoleAuthTenantId
      OPERATIONS_AUTH_CLIENT_ID: consoleAuthClientId
    }
  : {
      OPERATIONS_AUTH: 'function-key'
    }

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // Node 20 reached end of life on 2026-04-30; Flex Consumption runs Node 22 (GA).
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(
    storageSettings,
    serviceBusSettings,
    marketplaceSettings,
    pipelineSettings,
    monitoringSettings,
    durableTaskSchedulerSettings,
    operationsAuthSettings,
    crmSettings,
    crmSecretSettings
  )
}

// App Service built-in authentication (supported on Flex Consumption at GA: docs/console.md, Authentication) with
// Microsoft Entra ID as the only provider, signing in accounts of the publisher's tenant only (its v2.0 issuer).
// Anonymous requests still reach the app: the marketplace's webhook carries no sign-in, and the operations API
// answers 401/403 itself (shared/app/operationsAccess.ts), so a misconfiguration fails closed. No client secret:
// sign-in uses the ID token the registration issues (implicit grant of ID tokens enabled on it). The token store is
// off (Flex Consumption has no persistent file system); the session cookie carries the sign-in.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (consoleAuthOn) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: consoleAuthClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${consoleAuthTenantId}/v2.0'
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
      preserveUrlFragmentsForLogins: true
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

output id string = functionApp.id
output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
