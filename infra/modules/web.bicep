// App Service plan and Linux web app (Node 20) with a system-assigned managed identity, a
// staging slot for deploy-then-swap, VNet integration, Key Vault references for every secret
// and logs to Log Analytics.

param name string
param location string
param tags object
param skuName string
param subnetId string
param keyVaultName string
param clientSecretUri string
param auditSigningKeyUri string
param databaseUrlUri string
param entraClientId string
@description('Comma-separated Entra tenant ids this deployment serves.')
param allowedTenantIds string
@description('A custom domain bound to the app (its certificate managed separately), or empty for the default host name.')
param customHostName string
param appInsightsConnectionString string
param logAnalyticsWorkspaceId string
@description('The production start command; README.md and the Dockerfile use the same one.')
param startCommand string

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: skuName }
  properties: { reserved: true, zoneRedundant: false }
}

var siteProperties = {
  serverFarmId: plan.id
  httpsOnly: true
  clientAffinityEnabled: false
  virtualNetworkSubnetId: subnetId
  keyVaultReferenceIdentity: 'SystemAssigned'
  siteConfig: {
    linuxFxVersion: 'NODE|20-lts'
    appCommandLine: startCommand
    alwaysOn: true
    http20Enabled: true
    ftpsState: 'Disabled'
    minTlsVersion: '1.2'
    scmMinTlsVersion: '1.2'
    vnetRouteAllEnabled: true
    healthCheckPath: '/readyz'
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  tags: tags
  kind: 'app,linux'
  identity: { type: 'SystemAssigned' }
  properties: siteProperties
}

resource staging 'Microsoft.Web/sites/slots@2023-12-01' = {
  parent: site
  name: 'staging'
  location: location
  tags: tags
  kind: 'app,linux'
  identity: { type: 'SystemAssigned' }
  properties: siteProperties
}

var publicHost = empty(customHostName) ? site.properties.defaultHostName : customHostName

// Every variable the server needs in production (see server/src/config-production.ts);
// tests/unit/infra.test.ts reads this block. Secrets are Key Vault references only.
var appSettings = {
  NODE_ENV: 'production'
  PUBLIC_URL: 'https://${publicHost}'
  LEEWAY_M365: 'm365'
  LEEWAY_CLIENT_ID: entraClientId
  LEEWAY_API_AUDIENCE: entraClientId
  LEEWAY_ALLOWED_TENANTS: allowedTenantIds
  LEEWAY_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${clientSecretUri})'
  LEEWAY_AUDIT_SIGNING_KEY: '@Microsoft.KeyVault(SecretUri=${auditSigningKeyUri})'
  DATABASE_URL: '@Microsoft.KeyVault(SecretUri=${databaseUrlUri})'
  LEEWAY_DB_APP_ROLE: 'leeway_app'
  LEEWAY_TRUST_PROXY: '1'
  LOG_LEVEL: 'info'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  WEBSITE_RUN_FROM_PACKAGE: '1'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource siteCanReadSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, site.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource stagingCanReadSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, staging.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: staging.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource siteSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
  dependsOn: [ siteCanReadSecrets ]
}

resource stagingSettings 'Microsoft.Web/sites/slots/config@2023-12-01' = {
  parent: staging
  name: 'appsettings'
  properties: appSettings
  dependsOn: [ stagingCanReadSecrets ]
}

resource siteLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

output name string = site.name
output publicHost string = publicHost
output stagingHost string = staging.properties.defaultHostName
output principalId string = site.identity.principalId
output stagingPrincipalId string = staging.identity.principalId
