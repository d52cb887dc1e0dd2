// Data-plane roles the app's identity needs on the pipeline storage account. Names are
// guid(scope, principal, role) so a redeployment finds the same assignment instead of failing on a duplicate.
param storageAccountName string
param principalId string
@allowed(['ServicePrincipal', 'User', 'Group'])
param principalType string = 'ServicePrincipal'

// Storage Blob Data Owner: host leases and Durable blobs, the Flex deployment package, raw webhook bodies.
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Queue Data Contributor: Durable Functions control and work-item queues (Azure Storage backend).
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Storage Table Data Contributor: the pipeline's tables and the Durable history/instances tables.
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

var roleIds = [storageBlobDataOwnerRoleId, storageQueueDataContributorRoleId, storageTableDataContributorRoleId]

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roleIds: {
    name: guid(storage.id, principalId, roleId)
    scope: storage
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
