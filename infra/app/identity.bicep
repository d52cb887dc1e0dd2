// The one user-assigned identity the Function App uses for every data-plane connection (Storage, Service Bus,
// Key Vault references, Application Insights ingestion, Durable Task Scheduler). A user-assigned identity exists
// before the app does, so role assignments are in place when the app first starts.
param name string
param location string
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
