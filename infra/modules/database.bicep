// Azure Database for PostgreSQL Flexible Server, reachable only inside the virtual network.
// The `leeway` database and its two roles (leeway_owner, leeway_app) are created afterwards
// by infra/sql/roles.sql, so the server's admin never becomes the owner of Leeway's tables.

param name string
param location string
param tags object
param subnetId string
param privateDnsZoneId string
param adminLogin string
@secure()
param adminPassword string
param skuName string
param skuTier string
@allowed([ 'Disabled', 'SameZone', 'ZoneRedundant' ])
param highAvailability string
param storageSizeGB int
param backupRetentionDays int

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${name}-pg'
  location: location
  tags: tags
  sku: { name: skuName, tier: skuTier }
  properties: {
    version: '16'
    administratorLogin: adminLogin
    administratorLoginPassword: adminPassword
    authConfig: { passwordAuth: 'Enabled', activeDirectoryAuth: 'Disabled' }
    storage: { storageSizeGB: storageSizeGB, autoGrow: 'Enabled' }
    backup: { backupRetentionDays: backupRetentionDays, geoRedundantBackup: 'Enabled' }
    highAvailability: { mode: highAvailability }
    network: {
      delegatedSubnetResourceId: subnetId
      privateDnsZoneArmResourceId: privateDnsZoneId
      publicNetworkAccess: 'Disabled'
    }
  }
}

// TLS is required by default on Flexible Server; keep it explicit.
resource secureTransport 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: { value: 'ON', source: 'user-override' }
}

output fqdn string = server.properties.fullyQualifiedDomainName
output serverName string = server.name
