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

// azd sets AZURE_PRINCIPAL_TYPE to 'User' or 'ServicePrincipal' (azure-dev: pkg/infra/provisioning,
// current_principal_id_provider.go). ARM rejects a role assignment whose principalType does not match the principal
// (UnmatchedPrincipalType), so a CI run under a service principal needs the real type.
@description('Kind of principal principalId is (AZURE_PRINCIPAL_TYPE): User, or ServicePrincipal when azd runs in CI.')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Also give the person running azd read access to the pipeline\'s data: Storage Table Data Reader on the pipeline storage (leads, deliveries) and, with the scheduler backend, Durable Task Data Reader (the scheduler dashboard).')
param deployerDataReader bool = false

// ---- Scale and messaging -------------------------------------------------------------------------------------
// "The lowest maximum instance count value is 40, and the highest supported maximum instance count value is 1,000"
// (Azure Functions, Event-driven scaling: Flex Consumption plan).
@description('Flex Consumption: maximum number of instances the app scales out to (40 to 1,000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

// The three Flex instance sizes (Flex Consumption plan hosting: Instance memory). 2048 is Microsoft's default and
// leaves room for the Functions host beside the Node worker (about 145 MiB resident once every function file is
// loaded, measured offline); 512 quarters the GB-s bill, which matters only past the free grant (docs/deploy.md).
@description('Flex Consumption instance memory (MB): 512, 2048 or 4096. Billed per GB-s, at least 1 s per execution.')
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

// ---- Pipeline settings (defaults as in shared/names.ts) ---------------------------------------------------------
param leadEventsQueueName string = 'lead-events'
param taskHubName string = 'LeadPipelineHub'
param tablePrefix string = 'Pipeline'
param marketplaceTablePollSchedule string = '0 */1 * * * *'
param webhookMaxBodyBytes int = 262144

@description('Resource id of the storage account the marketplace writes MarketplaceLeads into (Partner Center "Azure Table" destination). Empty: no table destination, and the table poller does not run.')
param marketplaceLeadsStorageAccountId string = ''
@description('Let an erasure delete the person\'s rows of MarketplaceLeads too (Storage Table Data Contributor on that account instead of Reader).')
param marketplaceLeadsAllowErasure bool = false
@description('NCRONTAB schedule of the retention sweeper (removes what is past its retention period).')
param privacyRetentionSchedule string = '0 30 3 * * *'

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
@description('Key of the owners\' acknowledgement links (docs/assignment.md), at least 32 characters; stored in Key Vault.')
param assignmentAckKey string = ''
@secure()
@description('A Teams Workflows (Power Automate) webhook URL carries its own signature in its query, so it is treated as a secret.')
param teamsWebhookUrl string = ''
@secure()
param dynamicsClientSecret string = ''
@secure()
param salesforceClientSecret string = ''
@secure()
param hubspotToken string = ''
@secure()
param marketoClientSecret string = ''

@description('Client id of the lead console\'s Entra ID app registration (docs/console.md); empty: function keys only.')
param consoleAuthClientId string = ''
@description('Tenant whose accounts may sign in to the console; the deployment\'s tenant by default.')
param consoleAuthTenantId string = tenant().tenantId

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
// The Durable backend is chosen in host.json, the file the platform's scale controller reads (as Microsoft's durable
// azd quickstart does): provisioning follows it, so the two can never disagree. 'azureManaged' is the Durable Task
// Scheduler; 'AzureStorage' the app's own storage account.
var durableStorageProvider = loadJsonContent('../host.json').extensions.durableTask.storageProvider.type
var durableBackend = durableStorageProvider == 'azureManaged' ? 'DurableTaskScheduler' : 'AzureStorage'
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
  'Assignments'
  'Privacy'
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
  ASSIGNMENT_ACK_KEY: 'assignment-ack-key'
}

var crmSecretValues = {
  LEAD_WEBHOOK_SECRET: leadWebhookSecret
  TEAMS_WEBHOOK_URL: teamsWebhookUrl
  DYNAMICS_CLIENT_SECRET: dynamicsClientSecret
  SALESFORCE_CLIENT_SECRET: salesforceClientSecret
  HUBSPOT_TOKEN: hubspotToken
  MARKETO_CLIENT_SECRET: marketoClientSecret
  ASSIGNMENT_ACK_KEY: assignmentAckKey
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
  ASSIGNMENT_ACK_KEY: empty(assignmentAckKey) ? '' : '${keyVaultReferencePrefix}${crmSecretNames.ASSIGNMENT_ACK_KEY}/)'
}

// Functions whose failed invocation is final (shared/names.ts functionNames): HTTP triggers, timers and the
// orchestrations. Service Bus triggers and activities are retried by design and left out (test/infra checks the list
// against the triggers registered in functions/).
var functionFailureNames = [
  'marketplaceLeadWebhook'
  'marketplaceTablePoller'
  'stalledLeadSweeper'
  'getLead'
  'listLeads'
  'redeliverLead'
  'listParkedLeads'
  'replayParkedLead'
  'targetsHealth'
  'consoleSite'
  'whoAmI'
  'queryLeads'
  'leadsOverview'
  'listProblems'
  'showRules'
  'whatIfRules'
  'acknowledgeLead'
  'assignmentOwners'
  'setOutOfOffice'
  'erasePerson'
  'getErasure'
  'listErasures'
  'retryErasure'
  'exportPerson'
  'listRetentionRuns'
  'retentionSweeper'
  'leadPipeline'
  'targetDelivery'
  'redeliveryPipeline'
  'erasurePipeline'
  'leadErasure'
  'targetErasure'
]

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
  // The app settings hold Key Vault references and identity-based connections: they are written only once the
  // identity's roles exist, so the first resolution of a reference (and the host's first start) does not fail and
  // get cached as an error. A user-assigned identity exists before the app, so nothing here waits on the app.
  dependsOn: [
    storageAccess
    serviceBusAccess
    keyVaultAccess
    monitoringAccess
    durableTaskAccess
    marketplaceStorageAccess
  ]
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
    // Empty without a table destination: the app then has no MarketplaceLeadsStorage setting and registers no poller.
    marketplaceLeadsAccountName: marketplaceStorageName
    marketplaceLeadsTableEndpoint: useExternalMarketplaceStorage
      ? 'https://${marketplaceStorageName}.table.${environment().suffixes.storage}/'
      : ''
    taskHubName: taskHubName
    durableBackend: durableBackend
    durableTaskSchedulerEndpoint: useDurableTaskScheduler ? durableTaskScheduler.outputs.endpoint : ''
    marketplaceTablePollSchedule: marketplaceTablePollSchedule
    privacyRetentionSchedule: privacyRetentionSchedule
    tablePrefix: tablePrefix
    webhookMaxBodyBytes: webhookMaxBodyBytes
    crmSettings: crmSettings
    consoleAuthClientId: consoleAuthClientId
    consoleAuthTenantId: consoleAuthTenantId
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
    principalType: principalType
  }
}

// Optional: the publisher can read their own leads (Storage browser, Table API) and the scheduler dashboard.
module deployerDataAccess 'app/rbac/deployer-data-access.bicep' = if (deployerDataReader && !empty(principalId)) {
  name: 'deployer-data-access'
  scope: rg
  dependsOn: [durableTaskScheduler]
  params: {
    storageAccountName: storage.outputs.name
    schedulerName: useDurableTaskScheduler ? durableTaskSchedulerName : ''
    principalId: principalId
    principalType: principalType
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
    allowErasure: marketplaceLeadsAllowErasure
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
    functionFailureNames: functionFailureNames
    noLeadAlertDays: noLeadAlertDays
    hoursSinceLastLeadMetric: 'leads.hours_since_last_lead'
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
