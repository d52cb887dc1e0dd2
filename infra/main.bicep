// Marketplace lead pipeline: everything `azd up` provisions into the publisher's own subscription.
// Names of settings, queues and tables match shared/names.ts (test/infra checks this).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name.')
param environmentName string

@minLength(1)
@description('Primary location for all resources (Flex Consumption must be available there).')
param location string

@description('Resource group name; defaults to rg-<environmentName>.')
param resourceGroupName string = ''

@description('Object id of the person running azd (AZURE_PRINCIPAL_ID): may rotate CRM secrets in Key Vault.')
param principalId string = ''

// ---- Scale and messaging -------------------------------------------------------------------------------------
@description('Flex Consumption: maximum number of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Flex Consumption instance memory (MB).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Service Bus duplicate detection window (ISO 8601), e.g. PT1H. A lead event is deduplicated by its lead key.')
param duplicateDetectionWindow string = 'PT1H'

@description('Deliveries of a lead event before it is dead-lettered (and then parked by the pipeline).')
@minValue(1)
@maxValue(100)
param maxDeliveryCount int = 10

@description('Time to live of a lead event (ISO 8601); expired events are dead-lettered.')
param messageTimeToLive string = 'P14D'

@description('Durable Functions backend: the app\'s Azure Storage account, or a Durable Task Scheduler.')
@allowed(['AzureStorage', 'DurableTaskScheduler'])
param durableBackend string = 'AzureStorage'

// ---- Pipeline settings (defaults as in shared/names.ts) ---------------------------------------------------------
param leadEventsQueueName string = 'lead-events'
param taskHubName string = 'LeadPipelineHub'
param tablePrefix string = 'Pipeline'
param marketplaceTablePollSchedule string = '0 */1 * * * *'
param webhookMaxBodyBytes int = 262144

@description('Resource id of the storage account the marketplace writes MarketplaceLeads into (Partner Center "Azure Table" destination). Empty: the pipeline\'s own account.')
param marketplaceLeadsStorageAccountId string = ''

// ---- Monitoring ------------------------------------------------------------------------------------------------
@description('Email address that receives the alerts. Empty: alert rules exist but notify nobody.')
param alertEmail string = ''

@description('Raise the lost-leads alarm when no lead arrived for this many days.')
@minValue(1)
@maxValue(30)
param noLeadAlertDays int = 7

// ---- CRM targets: plain settings -------------------------------------------------------------------------------
param leadWebhookUrl string = ''
param dynamicsUrl string = ''
param dynamicsTenantId string = ''
param dynamicsClientId string = ''
param salesforceLoginUrl string = ''
param salesforceClientId string = ''
param marketoBaseUrl string = ''
param marketoClientId string = ''

// ---- CRM targets: secrets (stored in Key Vault, never in app settings) -------------------------------------------
@secure()
param leadWebhookSecret string = ''
@secure()
@description('A Teams incoming-webhook URL embeds its own credential, so it is treated as a secret.')
param teamsWebhookUrl string = ''
@secure()
param dynamicsClientSecret string = ''
@secure()
param salesforceClientSecret string = ''
@secure()
param hubspotToken string = ''
@secure()
param marketoClientSecret string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
var useDurableTaskScheduler = durableBackend == 'DurableTaskScheduler'
var durableTaskSchedulerName = '${abbrs.durableTaskSchedulers}${resourceToken}'

// shared/names.ts tableNames, each with the PIPELINE_TABLE_PREFIX.
var pipelineTables = [
  'Leads'
  'LeadsByTime'
  'Journeys'
  'Parked'
  'Checkpoints'
  'RawBodies'
  'RateGovernor'
]

var crmSettings = {
  LEAD_WEBHOOK_URL: leadWebhookUrl
  DYNAMICS_URL: dynamicsUrl
  DYNAMICS_TENANT_ID: dynamicsTenantId
  DYNAMICS_CLIENT_ID: dynamicsClientId
  SALESFORCE_LOGIN_URL: salesforceLoginUrl
  SALESFORCE_CLIENT_ID: salesforceClientId
  MARKETO_BASE_URL: marketoBaseUrl
  MARKETO_CLIENT_ID: marketoClientId
}

// App setting → Key Vault secret name.
var crmSecretNames = {
  LEAD_WEBHOOK_SECRET: 'lead-webhook-secret'
  TEAMS_WEBHOOK_URL: 'teams-webhook-url'
  DYNAMICS_CLIENT_SECRET: 'dynamics-client-secret'
  SALESFORCE_CLIENT_SECRET: 'salesforce-client-secret'
  HUBSPOT_TOKEN: 'hubspot-token'
  MARKETO_CLIENT_SECRET: 'marketo-client-secret'
}

var crmSecretValues = {
  LEAD_WEBHOOK_SECRET: leadWebhookSecret
  TEAMS_WEBHOOK_URL: teamsWebhookUrl
  DYNAMICS_CLIENT_SECRET: dynamicsClientSecret
  SALESFORCE_CLIENT_SECRET: salesforceClientSecret
  HUBSPOT_TOKEN: hubspotToken
  MARKETO_CLIENT_SECRET: marketoClientSecret
}

// A secret that was not given leaves its setting empty, so the target it belongs to stays disabled ("auto").
// Versionless references: a new secret version is picked up without redeploying.
var keyVaultReferencePrefix = '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/'
var crmSecretSettings = {
  LEAD_WEBHOOK_SECRET: empty(leadWebhookSecret) ? '' : '${keyVaultReferencePrefix}${crmSecretNames.LEAD_WEBHOOK_SECRET}/)'
  TEAMS_WEBHOOK_URL: empty(teamsWebhookUrl) ? '' : '${keyVaultReferencePrefix}${crmSecretNames.TEAMS_WEBHOOK_URL}/)'
  DYNAMICS_CLIENT_SECRET: empty(dynamicsClientSecret) ? '' : '${keyVaultReferencePrefix}${crmSecretNames.DYNAMICS_CLIENT_SECRET}/)'
  SALESFORCE_CLIENT_SECRET: empty(salesforceClientSecret) ? '' : '${keyVaultReferencePrefix}${crmSecretNames.SALESFORCE_CLIENT_SECRET}/)'
  HUBSPOT_TOKEN: empty(hubspotToken) ? '' : '${keyVaultReferencePrefix}${crmSecretNames.HUBSPOT_TOKEN}/)'
  MARKETO_CLIENT_SECRET: empty(marketoClientSecret) ? '' : '${keyVaultReferencePrefix}${crmSecretNames.MARKETO_CLIENT_SECRET}/)'
}

var useExternalMarketplaceStorage = !empty(marketplaceLeadsStorageAccountId)
var marketplaceStorageName = useExternalMarketplaceStorage ? last(split(marketplaceLeadsStorageAccountId, '/')) : ''

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    rawBodyContainerName: 'lead-raw-bodies'
    tableNames: [for table in pipelineTables: '${tablePrefix}${table}']
  }
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: '${abbrs.serviceBusNamespaces}${resourceToken}'
    location: location
    tags: tags
    queueName: leadEventsQueueName
    duplicateDetectionWindow: duplicateDetectionWindow
    maxDeliveryCount: maxDeliveryCount
    messageTimeToLive: messageTimeToLive
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    secretNames: crmSecretNames
    secretValues: crmSecretValues
  }
}

module durableTaskScheduler 'app/durableTaskScheduler.bicep' = if (useDurableTaskScheduler) {
  name: 'durable-task-scheduler'
  scope: rg
  params: {
    name: durableTaskSchedulerName
    location: location
    tags: tags
    taskHubName: taskHubName
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    leadEventsQueueName: serviceBus.outputs.queueName
    marketplaceLeadsAccountName: useExternalMarketplaceStorage ? marketplaceStorageName : storage.outputs.name
    marketplaceLeadsTableEndpoint: useExternalMarketplaceStorage
      ? 'https://${marketplaceStorageName}.table.${environment().suffixes.storage}/'
      : storage.outputs.tableEndpoint
    taskHubName: taskHubName
    durableBackend: durableBackend
    durableTaskSchedulerEndpoint: useDurableTaskScheduler ? durableTaskScheduler.outputs.endpoint : ''
    marketplaceTablePollSchedule: marketplaceTablePollSchedule
    tablePrefix: tablePrefix
    webhookMaxBodyBytes: webhookMaxBodyBytes
    crmSettings: crmSettings
    crmSecretSettings: crmSecretSettings
  }
}

// ---- Role assignments: one module per target, all for the app's user-assigned identity ---------------------------
module storageAccess 'app/rbac/storage-access.bicep' = {
  name: 'storage-access'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.outputs.principalId
  }
}

module serviceBusAccess 'app/rbac/servicebus-access.bicep' = {
  name: 'servicebus-access'
  scope: rg
  params: {
    namespaceName: serviceBus.outputs.name
    queueName: serviceBus.outputs.queueName
    principalId: identity.outputs.principalId
  }
}

module keyVaultAccess 'app/rbac/keyvault-access.bicep' = {
  name: 'keyvault-access'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: identity.outputs.principalId
  }
}

module keyVaultOfficerAccess 'app/rbac/keyvault-officer-access.bicep' = if (!empty(principalId)) {
  name: 'keyvault-officer-access'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: principalId
  }
}

module monitoringAccess 'app/rbac/monitoring-access.bicep' = {
  name: 'monitoring-access'
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: identity.outputs.principalId
  }
}

module durableTaskAccess 'app/rbac/durabletask-access.bicep' = if (useDurableTaskScheduler) {
  name: 'durabletask-access'
  scope: rg
  dependsOn: [durableTaskScheduler]
  params: {
    schedulerName: durableTaskSchedulerName
    principalId: identity.outputs.principalId
  }
}

module marketplaceStorageAccess 'app/rbac/marketplace-storage-access.bicep' = if (useExternalMarketplaceStorage) {
  name: 'marketplace-storage-access'
  // The scope is evaluated even when the condition is false, so it must not index into an empty id.
  scope: resourceGroup(
    useExternalMarketplaceStorage ? split(marketplaceLeadsStorageAccountId, '/')[2] : subscription().subscriptionId,
    useExternalMarketplaceStorage ? split(marketplaceLeadsStorageAccountId, '/')[4] : rg.name
  )
  params: {
    storageAccountName: marketplaceStorageName
    principalId: identity.outputs.principalId
  }
}

// ---- Monitoring: alerts and workbook ---------------------------------------------------------------------------
module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: functionAppName
    location: location
    tags: tags
    alertEmail: alertEmail
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    serviceBusNamespaceId: serviceBus.outputs.id
    leadEventsQueueName: serviceBus.outputs.queueName
    deadLetterFunctionName: 'leadEventDeadLetter'
    noLeadAlertDays: noLeadAlertDays
  }
}

module workbook 'app/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: {
    name: '${abbrs.insightsWorkbooks}${resourceToken}'
    location: location
    tags: tags
    displayName: 'Marketplace lead pipeline (${environmentName})'
    applicationInsightsId: monitoring.outputs.applicationInsightsId
  }
}

// azd stores these in the environment; the postdeploy hook reads the app and resource group names.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = 'https://${api.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.name
output DURABLE_BACKEND string = durableBackend
