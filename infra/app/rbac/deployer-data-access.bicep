// Read-only data-plane access for the person who runs `azd up`, so they can look at their own leads (tables) and at
// orchestrations in the Durable Task Scheduler dashboard. Control-plane Owner/Contributor does not include data
// actions, so without this the portal's Storage browser shows "no access". Only deployed with deployerDataReader.
param storageAccountName string
@description('Durable Task Scheduler name; empty with the Azure Storage backend.')
param schedulerName string
param principalId string
@allowed(['ServicePrincipal', 'User', 'Group'])
param principalType string = 'User'

// Storage Table Data Reader
var storageTableDataReaderRoleId = '76199698-9eea-4c19-bc75-cec21354c6b6'
// Durable Task Data Reader
var durableTaskDataReaderRoleId = 'd6a5505f-6ebb-45a4-896e-ac8274cfc0ac'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource tableReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, storageTableDataReaderRoleId)
  scope: storage
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataReaderRoleId)
  }
}

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' existing = if (!empty(schedulerName)) {
  name: schedulerName
}

resource schedulerReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(schedulerName)) {
  name: guid(scheduler.id, principalId, durableTaskDataReaderRoleId)
  scope: scheduler
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', durableTaskDataReaderRoleId)
  }
}
