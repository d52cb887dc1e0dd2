// Key Vault in RBAC mode for the CRM credentials. Secrets are written by this deployment (control plane) from
// @secure() parameters and read by the app through Key Vault references with its user-assigned identity.
param name string
param location string
param tags object = {}
@description('App setting name → Key Vault secret name, for every CRM secret the pipeline can use.')
param secretNames object
@description('App setting name → secret value. Empty values create no secret (the target stays disabled).')
@secure()
param secretValues object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for item in items(secretNames): if (!empty(secretValues[item.key])) {
    parent: vault
    name: item.value
    properties: {
      value: secretValues[item.key]
      contentType: 'text/plain'
    }
  }
]

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
