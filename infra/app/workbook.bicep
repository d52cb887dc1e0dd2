// The pipeline's Application Insights workbook. The definition lives in workbook.json so it can be edited in the
// portal's Advanced Editor and pasted back unchanged.
param name string
param location string
param tags object = {}
param displayName string
param applicationInsightsId string

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, name)
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    version: 'Notebook/1.0'
    sourceId: applicationInsightsId
    serializedData: loadTextContent('workbook.json')
  }
}

output id string = workbook.id
