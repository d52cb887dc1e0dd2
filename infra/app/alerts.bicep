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
@description('Functions whose failed invocation is not retried by design (HTTP, timers, orchestrations); see main.bicep.')
param functionFailureNames array
@description('Alert when no lead was received for this many days.')
@minValue(1)
@maxValue(30)
param noLeadAlertDays int
@description('Custom metric the stalled-lead sweeper records every 5 minutes (shared/telemetry leadSilence).')
param hoursSinceLastLeadMetric string

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

// Lead events the starter gave up on are moved to the dead-letter queue, where leadEventDeadLetter parks them within
// seconds (the parked-leads alert reports each one). So a dead-letter queue that stays non-empty for a whole window
// means the handler is not draining it: the lowest count in 15 minutes is above zero. DeadletteredMessages is a
// count metric with Average, Minimum and Maximum aggregations and an EntityName dimension (Supported metrics for
// Microsoft.ServiceBus/namespaces).
resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-dead-lettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Lead events have waited in the ${leadEventsQueueName} dead-letter queue for 15 minutes: ${deadLetterFunctionName} is not parking them (check its failures), so they cannot be replayed yet.'
    severity: 1
    enabled: true
    scopes: [serviceBusNamespaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
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
          timeAggregation: 'Minimum'
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

// The lost-leads alarm. A log search alert cannot look back further than two days ("The alert time range is limited
// to a maximum of two days", Create or edit a log search alert rule), so the pipeline measures the silence itself:
// every sweep records the hours since the newest stored lead (or since monitoring began, if none), and this metric
// alert fires once every value in an hour is past N x 24. A quiet low-volume publisher is not alarmed before N days.
// Custom metrics live in the 'azure.applicationinsights' namespace; skipMetricValidation lets the rule be created
// before the first value is emitted (MetricCriteria.skipMetricValidation, Metric Alerts REST API 2018-03-01).
resource noLeadAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-no-leads'
  location: 'global'
  tags: tags
  properties: {
    description: 'No lead was received for ${noLeadAlertDays} day(s): check the Partner Center endpoint, the function key and the offer.'
    severity: 1
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT1H'
    windowSize: 'PT1H'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'HoursSinceLastLead'
          metricNamespace: 'azure.applicationinsights'
          metricName: hoursSinceLastLeadMetric
          operator: 'GreaterThan'
          threshold: noLeadAlertDays * 24
          timeAggregation: 'Minimum'
          skipMetricValidation: true
        }
      ]
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

var functionFailureFilter = join(map(functionFailureNames, name => '"${name}"'), ', ')

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
  }
  {
    // A lead with no contact, no LeadSource and no offer is stored as blank and delivered nowhere (builtin.blank-lead,
    // docs/pipeline-config.md). Blank leads are a reported Partner Center failure: the customer's details never
    // arrived, and the marketplace never re-sends them, so the publisher hears of the first one.
    name: 'blank-leads'
    description: 'The marketplace sent a lead with no contact, no lead source and no offer: list them with GET /api/leads?status=blank and check the offer in Partner Center.'
    severity: 2
    frequency: 'PT15M'
    window: 'PT15M'
    query: 'customMetrics | where name == "leads.outcome" and tostring(customDimensions.outcome) == "blank" | summarize blank = sum(valueSum)'
    operator: 'GreaterThan'
    threshold: 0
    measure: 'blank'
  }
  {
    // Owner assignment (docs/assignment.md): a lead whose SLA was breached more often than its queue's escalation
    // allows is parked as unattended; nobody has it.
    name: 'unattended-leads'
    description: 'A lead breached its SLA past every escalation and is unattended: see GET /api/assignment/owners and give it an owner.'
    severity: 1
    frequency: 'PT5M'
    window: 'PT5M'
    query: 'customMetrics | where name == "leads.sla" and tostring(customDimensions.outcome) == "unattended" | summarize unattended = sum(valueSum)'
    operator: 'GreaterThan'
    threshold: 0
    measure: 'unattended'
  }
  {
    // Window = frequency, so one failure is counted by one evaluation only. Service Bus triggers and activities are
    // left out: their failures are retried by design (redelivery up to maxDeliveryCount, the orchestration's own
    // retries), and what survives every retry is already reported (dead-lettered, parked, failed deliveries, a failed
    // orchestration).
    name: 'function-failures'
    description: 'An HTTP, timer or orchestration invocation failed (Service Bus and activity retries are not counted).'
    severity: 2
    frequency: 'PT5M'
    window: 'PT5M'
    query: 'requests | where success == false and name in (${functionFailureFilter}) | summarize failures = count()'
    operator: 'GreaterThan'
    threshold: 0
    measure: 'failures'
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
