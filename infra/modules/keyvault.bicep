// Key Vault (RBAC, purge protection) holding every secret the server reads; App Service reads
// them through Key Vault references with its managed identities.

param name string
param location string
param tags object
param tenantId string
@description('Subnets allowed through the vault\'s firewall (App Service integration, operations jobs).')
param subnetIds array
@description('Public addresses of operators or deployment pipelines allowed through the firewall.')
param operatorIpRanges array
@secure()
param clientSecret string
@secure()
param auditSigningKeyPem string
@secure()
param databaseUrl string
@secure()
param databaseMigrationUrl string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${take(replace(name, '-', ''), 17)}kv${take(uniqueString(resourceGroup().id, name), 5)}'
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      virtualNetworkRules: [for id in subnetIds: { id: id, ignoreMissingVnetServiceEndpoint: false }]
      ipRules: [for ip in operatorIpRanges: { value: ip }]
    }
  }
}

var secrets = {
  'leeway-client-secret': clientSecret
  'leeway-audit-signing-key': auditSigningKeyPem
  'leeway-database-url': databaseUrl
  'leeway-database-migration-url': databaseMigrationUrl
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for s in items(secrets): {
  parent: vault
  name: s.key
  properties: { value: s.value, contentType: 'text/plain' }
}]

output name string = vault.name
output id string = vault.id
output clientSecretUri string = '${vault.properties.vaultUri}secrets/leeway-client-secret/'
output auditSigningKeyUri string = '${vault.properties.vaultUri}secrets/leeway-audit-signing-key/'
output databaseUrlUri string = '${vault.properties.vaultUri}secrets/leeway-database-url/'
