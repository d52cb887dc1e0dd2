// Lets the person who runs `azd up` rotate CRM secrets in Key Vault afterwards (the vault is in RBAC mode, so the
// deployment's control-plane writes do not imply data-plane access). Only deployed when azd passes a principal id.
param keyVaultName string
param principalId string
@allowed(['ServicePrincipal', 'User', 'Group'])
param principalType string = 'User'

// Key Vault Secrets Officer
var keyVaultSecretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsOfficerRoleId)
  scope: vault
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficerRoleId)
  }
}
