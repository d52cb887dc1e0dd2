/**
 * Every name that crosses a boundary (app settings, queues, tables, functions, orchestrations, activities) is defined
 * here once. Bicep (`infra/`), the local settings sample and the code all use these names; `test/infra` checks that
 * every setting listed in {@link settingNames} is present in the Function App's settings.
 */

/** App settings the code reads. `shared/config.ts` is the only module that reads them from the environment. */
export const settingNames = {
    /** Storage for the Functions runtime, Durable Functions and, by default, the pipeline's tables and blobs. */
    storage: 'AzureWebJobsStorage',
    /** Service Bus connection: a connection string locally, `ServiceBusConnection__fullyQualifiedNamespace` in Azure. */
    serviceBus: 'ServiceBusConnection',
    /** Name of the queue that carries lead events. */
    leadEventsQueue: 'LEAD_EVENTS_QUEUE',
    /** Storage account the marketplace writes its `MarketplaceLeads` table into (Azure Table destination). */
    marketplaceLeadsStorage: 'MarketplaceLeadsStorage',
    /** NCRONTAB schedule of the table poller. */
    marketplaceTablePollSchedule: 'MARKETPLACE_TABLE_POLL_SCHEDULE',
    /** Durable Functions task hub name (referenced from host.json as `%TASKHUB_NAME%`). */
    taskHubName: 'TASKHUB_NAME',
    /** Path of the pipeline configuration file; defaults to `config/pipeline.json` in the app folder. */
    pipelineConfigPath: 'PIPELINE_CONFIG_PATH',
    /** Largest webhook body accepted, in bytes. */
    webhookMaxBodyBytes: 'WEBHOOK_MAX_BODY_BYTES',
    /** Prefix of the pipeline's tables, so several pipelines can share one account. */
    tablePrefix: 'PIPELINE_TABLE_PREFIX',
    /** NCRONTAB schedule of the retention sweeper. */
    retentionSchedule: 'PRIVACY_RETENTION_SCHEDULE',
    /** Application Insights; telemetry is off when this is empty. */
    appInsightsConnectionString: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
    /** `Authorization=AAD;ClientId=<guid>`: the worker exports telemetry with Entra ID (local auth is off in Azure). */
    appInsightsAuthenticationString: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    /**
     * Who may use the operations API and the console: `function-key` (the default; the host checks the key, as
     * locally) or `entra` (App Service authentication signs people in; the app checks tenant, audience and role).
     */
    operationsAuth: 'OPERATIONS_AUTH',
    /** With `entra`: the publisher's Entra ID tenant; a principal of another tenant is refused. */
    operationsAuthTenantId: 'OPERATIONS_AUTH_TENANT_ID',
    /** With `entra`: the console's app registration (client id), the audience its sign-ins carry. */
    operationsAuthClientId: 'OPERATIONS_AUTH_CLIENT_ID',
} as const;

/**
 * Owner assignment's settings (docs/assignment.md). Optional: without the key the SLA still runs, with no
 * acknowledgement link. In Azure the key is a Key Vault reference.
 */
export const assignmentSettingNames = {
    /** HMAC-SHA256 key of the acknowledgement links, at least 32 characters. */
    ackKey: 'ASSIGNMENT_ACK_KEY',
    /** The app's public base URL for the links; default `https://<WEBSITE_HOSTNAME>`. */
    publicBaseUrl: 'PUBLIC_BASE_URL',
} as const;

/** Settings the platform sets itself (never in Bicep or the local settings). */
export const platformSettingNames = {
    /** The Function App's name (App Service sets it); telemetry's cloud role name. */
    siteName: 'WEBSITE_SITE_NAME',
    /** `True` when App Service authentication is on (Microsoft.Identity.Web's AppServicesAuthenticationInformation). */
    authEnabled: 'WEBSITE_AUTH_ENABLED',
    /** The app's default host name (`<app>.azurewebsites.net`): the acknowledgement links' host by default. */
    hostName: 'WEBSITE_HOSTNAME',
} as const;

/**
 * The app roles of the console's Entra app registration (`infra/console-app-roles.json`): `read` sees leads, contact
 * details and problems; `operate` also redelivers, replays and runs a what-if.
 */
export const operationsRoles = { read: 'Leads.Read', operate: 'Leads.Operate' } as const;

export const defaults = {
    leadEventsQueue: 'lead-events',
    marketplaceTablePollSchedule: '0 */1 * * * *',
    /** Daily at 03:30 UTC: retention runs once a day, off the business hours of most publishers. */
    retentionSchedule: '0 30 3 * * *',
    taskHubName: 'LeadPipelineHub',
    webhookMaxBodyBytes: 256 * 1024,
    tablePrefix: 'Pipeline',
    /** The marketplace creates and writes this table itself. */
    marketplaceLeadsTable: 'MarketplaceLeads',
    rawBodyContainer: 'lead-raw-bodies',
    /** Minutes the table poller re-reads before its watermark (the service sets `Timestamp` at commit). */
    marketplaceTablePollOverlapMinutes: 5,
    /**
     * Calls one target may have in flight in one worker: half of the worker's activity slots (Durable Functions'
     * `maxConcurrentActivityFunctions`, 10 by default), so a hung target never holds them all (see `TargetGate`).
     */
    maxCallsInFlightPerTarget: 5,
} as const;

/** Tables the pipeline owns (each name is prefixed with the `PIPELINE_TABLE_PREFIX` setting). */
export const tableNames = {
    leads: 'Leads',
    leadsByTime: 'LeadsByTime',
    journeys: 'Journeys',
    parked: 'Parked',
    checkpoints: 'Checkpoints',
    rawBodies: 'RawBodies',
    rateGovernor: 'RateGovernor',
    /** Owner assignment: counters, claims, sticky owners, unattended leads (docs/assignment.md). */
    assignments: 'Assignments',
    /** The privacy audit (erasures and exports, ids and counts only) and the key of the tombstones' email hash. */
    privacy: 'Privacy',
} as const;

/** Orchestration and activity names; orchestrators call activities only through these constants. */
export const durableNames = {
    leadPipeline: 'leadPipeline',
    redeliveryPipeline: 'redeliveryPipeline',
    deliverToTarget: 'deliverToTarget',
    /** Sub-orchestration: one target's delivery with retries, Retry-After and the deadline. */
    targetDelivery: 'targetDelivery',
    /** Activity: qualify → score → route with the loaded config, stored with its config version. */
    decideLead: 'decideLead',
    /**
     * Activity: the lead pipeline's first step: decides as `decideLead` does, makes the first attempt for every
     * routed target and, when each one ended with it, records the outcome, all in one execution.
     */
    decideAndDeliver: 'decideAndDeliver',
    /** Activity: stores the final per-target outcomes and the lead status. */
    recordLeadOutcome: 'recordLeadOutcome',
    /** Activity: an SLA breach: reassigns and/or tells the managers, or parks the lead as unattended. */
    escalateLead: 'escalateLead',
    /** Erasing a person: finds their leads, erases each (and in the CRMs), sweeps once the runs have ended. */
    erasurePipeline: 'erasurePipeline',
    /** Sub-orchestration: one lead's runs stopped, then its data replaced by a tombstone. */
    leadErasure: 'leadErasure',
    /** Sub-orchestration: one target's records deleted, transient failures retried on durable timers. */
    targetErasure: 'targetErasure',
    findErasureLeads: 'findErasureLeads',
    stopLeadRuns: 'stopLeadRuns',
    eraseLeadData: 'eraseLeadData',
    eraseTargetRecords: 'eraseTargetRecords',
    purgeLeadRuns: 'purgeLeadRuns',
    erasePersonPayloads: 'erasePersonPayloads',
    eraseMarketplaceRows: 'eraseMarketplaceRows',
    recordErasure: 'recordErasure',
} as const;

/** The external event the acknowledgement raises on the lead's run. */
export const ackEventName = 'lead-acknowledged';

/**
 * Function names as registered with `app.*` / `df.app.*`; also the function file names under `functions/` (a test
 * checks both). The orchestrations and activities are {@link durableNames}.
 */
export const functionNames = {
    marketplaceLeadWebhook: 'marketplaceLeadWebhook',
    marketplaceTablePoller: 'marketplaceTablePoller',
    leadEventStarter: 'leadEventStarter',
    leadEventDeadLetter: 'leadEventDeadLetter',
    getLead: 'getLead',
    listLeads: 'listLeads',
    redeliverLead: 'redeliverLead',
    listParkedLeads: 'listParkedLeads',
    replayParkedLead: 'replayParkedLead',
    targetsHealth: 'targetsHealth',
    /** The lead console's page and assets under `/console`. */
    consoleSite: 'consoleSite',
    /** The operations API for the console: who is signed in, list queries, overview, problems, rules, what-if. */
    whoAmI: 'whoAmI',
    queryLeads: 'queryLeads',
    leadsOverview: 'leadsOverview',
    listProblems: 'listProblems',
    showRules: 'showRules',
    whatIfRules: 'whatIfRules',
    /** Timer: re-enqueues leads stored but never started, and reports leads stalled in delivery. */
    stalledLeadSweeper: 'stalledLeadSweeper',
    /** HTTP, anonymous: the signed one-click acknowledgement link. */
    acknowledgeLead: 'acknowledgeLead',
    /** HTTP operations API: owners, their load today and out of office. */
    assignmentOwners: 'assignmentOwners',
    setOutOfOffice: 'setOutOfOffice',
    /** The privacy API: erase a person (and see, list, retry erasures), export what is held about them. */
    erasePerson: 'erasePerson',
    getErasure: 'getErasure',
    listErasures: 'listErasures',
    retryErasure: 'retryErasure',
    exportPerson: 'exportPerson',
    listRetentionRuns: 'listRetentionRuns',
    /** Timer: removes what is past its retention period, in bounded batches. */
    retentionSweeper: 'retentionSweeper',
    ...durableNames,
} as const;

/** Durable instance ids, derived so that a run is found (and never started twice) from the lead and target alone. */
export const instanceIds = {
    /** The lead's one pipeline run: a redelivered or replayed lead event finds it instead of starting another. */
    leadPipeline: (leadId: string): string => `lead-${leadId}`,
    /** The `targetDelivery` sub-orchestration a run starts for one target (derived, so it is deterministic). */
    targetDelivery: (runId: string, target: string): string => `${runId}:${target}`,
    /** A redelivery; the random part keeps two redeliveries of different targets in one millisecond apart. */
    redelivery: (leadId: string, atMs: number, random: string): string => `redeliver-${leadId}-${atMs}-${random}`,
    /** A person's erasure is its own id; a retry of its CRM part adds its number. */
    erasure: (erasureId: string): string => erasureId,
    erasureRetry: (erasureId: string, n: number): string => `${erasureId}-retry-${n}`,
} as const;
