// Service Bus Standard (duplicate detection needs Standard or above) with the lead-events queue. Local (SAS) auth
// is disabled: the app connects with its managed identity only.
param name string
param location string
param tags object = {}
param queueName string
@description('ISO 8601 duration during which a message with the same MessageId (the lead key) is dropped as a duplicate.')
param duplicateDetectionWindow string
@description('Deliveries before a message is dead-lettered.')
@minValue(1)
param maxDeliveryCount int
@description('ISO 8601 time to live of a lead event; expired events are dead-lettered, never dropped.')
param messageTimeToLive string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: messageTimeToLive
    lockDuration: 'PT1M'
    enablePartitioning: false
  }
}

output id string = namespace.id
output name string = namespace.name
output queueId string = queue.id
output queueName string = queue.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
