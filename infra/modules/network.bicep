// Virtual network: App Service integration, the PostgreSQL server's delegated subnet, and an
// operations subnet for one-off jobs (database migrations) that must reach the database.

param name string
param location string
param tags object

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: '${name}-vnet'
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [ '10.40.0.0/16' ] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.40.1.0/24'
          delegations: [ { name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } } ]
          serviceEndpoints: [ { service: 'Microsoft.KeyVault' } ]
        }
      }
      {
        name: 'database'
        properties: {
          addressPrefix: '10.40.2.0/24'
          delegations: [ { name: 'postgres', properties: { serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers' } } ]
        }
      }
      {
        name: 'ops'
        properties: {
          addressPrefix: '10.40.3.0/24'
          delegations: [ { name: 'aci', properties: { serviceName: 'Microsoft.ContainerInstance/containerGroups' } } ]
          serviceEndpoints: [ { service: 'Microsoft.KeyVault' } ]
        }
      }
    ]
  }
}

// PostgreSQL with private access resolves its host name through a private DNS zone linked here.
resource postgresDns 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: '${name}.private.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: postgresDns
  name: '${name}-vnet-link'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnet.id }
  }
}

output appSubnetId string = '${vnet.id}/subnets/app'
output databaseSubnetId string = '${vnet.id}/subnets/database'
output opsSubnetId string = '${vnet.id}/subnets/ops'
output postgresDnsZoneId string = postgresDns.id
