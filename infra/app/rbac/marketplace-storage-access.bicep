// Read access to the publisher's own storage account that the marketplace writes the MarketplaceLeads table into
// (Partner Center "Azure Table" lead destination). Deployed into that account's resource group; only used when the
// account is not the pipeline's own (there, Storage Table Data Contributor already applies).
param storageAccountName string
param principalId string
@allowed(['ServicePrincipal', 'User', 'Group'])
param principalType string = 'ServicePrincipal'
@description('Also let the pipeline delete a person\'s rows there when it erases the person (docs/data-map.md).')
param allowErasure bool = false

// Storage Table Data Reader: the poller only reads; the marketplace itself writes the rows.
var storageTableDataReaderRoleId = '76199698-9eea-4c19-bc75-cec21354c6b6'
// Storage Table Data Contributor: read and delete, only when the publisher lets erasure delete their rows.
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var roleId = allowErasure ? storageTableDataContributorRoleId : storageTableDataReaderRoleId

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roleId)
  scope: storage
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}
