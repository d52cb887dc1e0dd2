// Alert rules routed to one action group (email). The lost-leads alarm is the one the marketplace itself lacks:
// its own connectors only send a notification email, so a broken endpoint goes unnoticed until a customer complains.
param namePrefix string
param location string
param tags object = {}
@description('Email that receives alerts; empty creates the rules with no receiver (visible in the portal only).')
param alertEmail string
param applicationInsightsId string
param serviceBusNamespaceId string
param leadEventsQueueName string
@description('Function that parks dead-lettered lead events (shared/names.ts functionNames.leadEventDeadLetter).')
param deadLetterFunctionName string
@description('Alert when no lead was received for this many days.')
@minValue(1)
@maxValue(30)
param noLeadAlertDays int

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-ag'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'leadalerts'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'publisher'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

// Messages the starter could not process after maxDeliveryCount deliveries, or that expired.
resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-dead-lettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Lead events are waiting in the ${leadEventsQueueName} dead-letter queue.'
    severity: 1
    enabled: true
    scopes: [serviceBusNamespaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadLetteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: [leadEventsQueueName] }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

var logAlerts = [
  {
    name: 'parked-leads'
    description: 'A lead event was parked after every retry failed; replay it with POST /api/leads/parked/{id}/replay.'
    severity: 1
    frequency: 'PT15M'
    window: 'PT15M'
    query: 'requests | where name == "${deadLetterFunctionName}" and success == true | summarize parked = count()'
    operator: 'GreaterThan'
    threshold: 0
    measure: 'parked'
    queryRange: ''
  }
  {
    name: 'failed-deliveries'
    description: 'Deliveries to a CRM or notification target failed after all retries.'
    severity: 2
    frequency: 'PT15M'
    window: 'PT15M'
    query: 'customMetrics | where name == "deliveries" and tostring(customDimensions.outcome) == "failed" | summarize failed = sum(valueSum)'
    operator: 'GreaterThan'
    threshold: 0
    measure: 'failed'
    queryRange: ''
  }
  {
    name: 'stalled-deliveries'
    description: 'Leads are left delivering by a run that is gone (failed or terminated); list them with GET /api/leads?status=stalled and redeliver them.'
    severity: 2
    frequency: 'PT15M'
    window: 'PT15M'
    // Each sweep (every 5 minutes) records how many it found: the sum is 0 only if no sweep found any.
    query: 'customMetrics | where name == "leads.stalled" | summarize stalled = sum(valueSum)'
    operator: 'GreaterThan'
    threshold: 0
    measure: 'stalled'
    queryRange: ''
  }
  {
    name: 'function-failures'
    description: 'Function invocations failed (any trigger).'
    severity: 2
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'requests | where success == false | summarize failures = count()'
    operator: 'GreaterThan'
    threshold: 0
    measure: 'failures'
    queryRange: ''
  }
  {
    name: 'no-leads'
    description: 'No lead was received for ${noLeadAlertDays} day(s): check the Partner Center endpoint, the function key and the offer.'
    severity: 1
    frequency: 'PT1H'
    window: 'P1D'
    // `sum` over no rows is null: coalesce so that silence counts as zero rather than as no result.
    query: 'customMetrics | where name == "leads.received" | summarize received = sum(valueSum) | extend received = coalesce(received, 0.0)'
    operator: 'LessThan'
    threshold: 1
    measure: 'received'
    queryRange: 'P${noLeadAlertDays}D'
  }
]

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in logAlerts: {
    name: '${namePrefix}-${alert.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: '${namePrefix} ${alert.name}'
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [applicationInsightsId]
      evaluationFrequency: alert.frequency
      windowSize: alert.window
      overrideQueryTimeRange: empty(alert.queryRange) ? null : alert.queryRange
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Total'
            metricMeasureColumn: alert.measure
            operator: alert.operator
            threshold: alert.threshold
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      actions: { actionGroups: [actionGroup.id] }
    }
  }
]

output actionGroupId string = actionGroup.id
