// Optional Durable Functions backend: a Durable Task Scheduler (Consumption SKU) and its task hub. Deployed only
// when durableBackend = 'DurableTaskScheduler'; the default backend is the app's Azure Storage account.
param name string
param location string
param tags object = {}
param taskHubName string
@allowed(['Consumption', 'Dedicated'])
param skuName string = 'Consumption'

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: { name: skuName }
    // An empty allow-list denies all traffic; access is still gated by RBAC (Durable Task Data Contributor).
    ipAllowlist: ['0.0.0.0/0']
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

output id string = scheduler.id
output name string = scheduler.name
output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
