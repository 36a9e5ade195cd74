// Leeway on Azure: App Service (Linux, Node 20) with managed identity and a staging slot,
// Azure Database for PostgreSQL Flexible Server on a private network, Key Vault for every
// secret, Application Insights and Log Analytics.
//
//   az deployment group create -g <resource group> -f infra/main.bicep \
//     -p @infra/main.parameters.json -p entraClientSecret=... auditSigningKeyPem=@audit.pem ...
//
// infra/README.md has the whole runbook; the outputs fill manifests/env/.env.<name>.

targetScope = 'resourceGroup'

@description('Base name of every resource, lower case (for example leeway-prod).')
@minLength(3)
@maxLength(40)
param name string
param location string = resourceGroup().location
param tags object = { application: 'leeway' }

@description('Client id of Leeway\'s Entra app registration.')
param entraClientId string
@description('Comma-separated Entra tenant ids this deployment serves.')
param allowedTenantIds string
@description('A custom domain bound to the app, or empty to use the App Service host name.')
param customHostName string = ''
@description('Public addresses (CIDR) of operators or pipelines that may read Key Vault secrets, for the migration runbook.')
param operatorIpRanges array = []

@secure()
@description('A client secret of the app registration (or set up a certificate instead; see README).')
param entraClientSecret string
@secure()
@description('Ed25519 private key (PEM) that signs audit checkpoints: openssl genpkey -algorithm ed25519.')
param auditSigningKeyPem string
param postgresAdminLogin string = 'leewayadmin'
@secure()
param postgresAdminPassword string
@secure()
@description('Password of leeway_owner, the role that owns the schema and runs migrations (infra/sql/roles.sql).')
param leewayOwnerPassword string
@secure()
@description('Password of leeway_app, the role the server runs as (infra/sql/roles.sql).')
param leewayAppPassword string

@allowed([ 'P0v3', 'P1v3', 'P2v3', 'P3v3', 'S1', 'S2', 'S3' ])
param appServiceSku string = 'P1v3'
param postgresSkuName string = 'Standard_D2ds_v5'
@allowed([ 'Burstable', 'GeneralPurpose', 'MemoryOptimized' ])
param postgresSkuTier string = 'GeneralPurpose'
@allowed([ 'Disabled', 'SameZone', 'ZoneRedundant' ])
param postgresHighAvailability string = 'ZoneRedundant'
param postgresStorageGB int = 64
param postgresBackupRetentionDays int = 35
param logRetentionDays int = 365

// The production start command; README.md and the Dockerfile use the same one.
var startCommand = 'node --import tsx server/src/main.ts'

module network 'modules/network.bicep' = {
  name: 'network'
  params: { name: name, location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: name, location: location, tags: tags, retentionInDays: logRetentionDays }
}

module database 'modules/database.bicep' = {
  name: 'database'
  params: {
    name: name
    location: location
    tags: tags
    subnetId: network.outputs.databaseSubnetId
    privateDnsZoneId: network.outputs.postgresDnsZoneId
    adminLogin: postgresAdminLogin
    adminPassword: postgresAdminPassword
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    highAvailability: postgresHighAvailability
    storageSizeGB: postgresStorageGB
    backupRetentionDays: postgresBackupRetentionDays
  }
}

var pgHost = database.outputs.fqdn

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: name
    location: location
    tags: tags
    tenantId: subscription().tenantId
    subnetIds: [ network.outputs.appSubnetId, network.outputs.opsSubnetId ]
    operatorIpRanges: operatorIpRanges
    clientSecret: entraClientSecret
    auditSigningKeyPem: auditSigningKeyPem
    databaseUrl: 'postgres://leeway_app:${uriComponent(leewayAppPassword)}@${pgHost}:5432/leeway?sslmode=verify-full'
    databaseMigrationUrl: 'postgres://leeway_owner:${uriComponent(leewayOwnerPassword)}@${pgHost}:5432/leeway?sslmode=verify-full'
  }
}

module web 'modules/web.bicep' = {
  name: 'web'
  params: {
    name: name
    location: location
    tags: tags
    skuName: appServiceSku
    subnetId: network.outputs.appSubnetId
    keyVaultName: vault.outputs.name
    clientSecretUri: vault.outputs.clientSecretUri
    auditSigningKeyUri: vault.outputs.auditSigningKeyUri
    databaseUrlUri: vault.outputs.databaseUrlUri
    entraClientId: entraClientId
    allowedTenantIds: allowedTenantIds
    customHostName: customHostName
    appInsightsConnectionString: monitoring.outputs.connectionString
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    startCommand: startCommand
  }
}

@description('PUBLIC_HOST for manifests/env/.env.<name>: the host Teams and Outlook load Leeway from.')
output publicHost string = web.outputs.publicHost
output publicUrl string = 'https://${web.outputs.publicHost}'
@description('API_RESOURCE for manifests/env/.env.<name> and the app registration\'s identifierUris.')
output apiResource string = 'api://${web.outputs.publicHost}/${entraClientId}'
output webAppName string = web.outputs.name
output stagingHost string = web.outputs.stagingHost
output keyVaultName string = vault.outputs.name
output postgresServerName string = database.outputs.serverName
output postgresHost string = pgHost
output opsSubnetId string = network.outputs.opsSubnetId
output appInsightsName string = monitoring.outputs.insightsName
