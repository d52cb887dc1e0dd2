/**
 * The monthly cost estimate of docs/deploy.md, computed rather than typed: `npm run cost` prints the table the doc
 * holds, and test/infra/costEstimate.test.ts fails when the two differ. Inputs come from `npm run bench` where they
 * can be measured locally and are labelled assumptions where they cannot; prices are list prices (USD,
 * pay-as-you-go) as assumed in the doc.
 */

export const prices = {
    /** Flex Consumption on-demand: per execution and per GB-s, after the monthly free grant (per subscription). */
    executionPerMillion: 0.4,
    freeExecutions: 250_000,
    gbSecond: 0.000026,
    freeGbSeconds: 100_000,
    /** "The minimum billable execution period … is 1,000 ms", then rounded up to 100 ms (Flex Consumption: Billing). */
    minimumBillableSeconds: 1,
    tablePer10k: 0.00036,
    queuePer10k: 0.004,
    blobReadPer10k: 0.004,
    serviceBusBase: 9.86,
    serviceBusIncludedOperations: 13_000_000,
    serviceBusPerMillion: 0.8,
    ingestionPerGb: 2.3,
    freeIngestionGb: 5,
} as const;

export const perLead = {
    /**
     * Function executions, measured (`npm run bench`, one target): the webhook, the starter, the first step's
     * activity and two orchestrator episodes. A second target (the Teams alert for A/B leads) is called in the same
     * activity, so it adds none.
     */
    executions: 5,
    /** Every execution is shorter than 1 s (webhook 0.1–0.2 s locally), so each bills the 1 s minimum. */
    secondsPerExecution: 0.2,
    /**
     * The app's 11 measured with one target (`npm run bench`: 5 at intake, 6 in the first step, its rate governor's
     * read and write included), 2 more for the second target's budget, and Durable's 8 table operations for one start,
     * two episodes and one activity (`durableStorageOperations`).
     */
    tableTransactions: 21,
    /** Durable's 9 queue operations for the same work (`durableStorageOperations`). */
    queueOperations: 9,
    serviceBusOperations: 3,
    telemetryKb: 30,
} as const;

const SECONDS_PER_MONTH = 30 * 86_400;

export const fixed = {
    /** stalledLeadSweeper every 5 minutes (it also records hours since the last lead): 8,640 runs. */
    sweeperExecutions: SECONDS_PER_MONTH / 300,
    /** Each sweep: the received and delivering index queries and the newest-lead query (one page each). */
    sweeperTableTransactions: (SECONDS_PER_MONTH / 300) * 4,
    /**
     * Durable Functions (Azure Storage backend) polls its 4 control queues and work-item queue at most every
     * maxQueuePollingInterval (host.json: 1 s) while an instance is up: counted as if one were up all month.
     */
    queuePolls: 5 * SECONDS_PER_MONTH,
    /** Partition lease renewals, about every 10 s for 4 partitions (blob reads/writes, priced as reads). */
    leaseOperations: 4 * (SECONDS_PER_MONTH / 10),
    hostTelemetryKbPerExecution: 1.5,
} as const;

export interface CostLine {
    executions: number;
    executionCost: number;
    gbSeconds: number;
    executionTimeCost: number;
    storage: number;
    serviceBus: number;
    monitoring: number;
    total: number;
}

export function monthlyCost(leads: number, memoryMb: number): CostLine {
    const executions = perLead.executions * leads + fixed.sweeperExecutions;
    const billableSeconds = Math.max(prices.minimumBillableSeconds, Math.ceil(perLead.secondsPerExecution * 10) / 10);
    const gbSeconds = executions * billableSeconds * (memoryMb / 1024);
    const executionCost = (Math.max(0, executions - prices.freeExecutions) * prices.executionPerMillion) / 1e6;
    const executionTimeCost = Math.max(0, gbSeconds - prices.freeGbSeconds) * prices.gbSecond;
    const storage =
        ((perLead.tableTransactions * leads + fixed.sweeperTableTransactions) / 1e4) * prices.tablePer10k +
        ((perLead.queueOperations * leads + fixed.queuePolls) / 1e4) * prices.queuePer10k +
        (fixed.leaseOperations / 1e4) * prices.blobReadPer10k;
    const serviceBus =
        prices.serviceBusBase +
        (Math.max(0, perLead.serviceBusOperations * leads - prices.serviceBusIncludedOperations) *
            prices.serviceBusPerMillion) /
            1e6;
    const telemetryGb =
        (perLead.telemetryKb * leads + fixed.sweeperExecutions * fixed.hostTelemetryKbPerExecution) / 1e6;
    const monitoring = Math.max(0, telemetryGb - prices.freeIngestionGb) * prices.ingestionPerGb;
    const total = executionCost + executionTimeCost + storage + serviceBus + monitoring;
    return { executions, executionCost, gbSeconds, executionTimeCost, storage, serviceBus, monitoring, total };
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** The markdown table docs/deploy.md shows, for 100, 1,000 and 100,000 leads a month. */
export function costTable(volumes: number[] = [100, 1_000, 100_000]): string {
    const at = volumes.map((l) => ({ l, big: monthlyCost(l, 2048), small: monthlyCost(l, 512) }));
    const row = (label: string, cell: (c: (typeof at)[number]) => string) =>
        `| ${label} | ${at.map(cell).join(' | ')} |`;
    return [
        `| per month | ${volumes.map((l) => `${count(l)} leads`).join(' | ')} |`,
        `| --- | ${volumes.map(() => '---').join(' | ')} |`,
        row('function executions', (c) => count(c.big.executions)),
        row('executions (after 250,000 free)', (c) => usd(c.big.executionCost)),
        row('GB-s at 2048 MB (1 s minimum each)', (c) => count(c.big.gbSeconds)),
        row('execution time at 2048 MB', (c) => usd(c.big.executionTimeCost)),
        row('storage (tables, Durable queues polled every 1 s, leases)', (c) => usd(c.big.storage)),
        row('Service Bus Standard', (c) => usd(c.big.serviceBus)),
        row('Application Insights ingestion (after 5 GB free)', (c) => usd(c.big.monitoring)),
        row('**total at 2048 MB (default)**', (c) => `**${usd(c.big.total)}**`),
        row('total at 512 MB (`INSTANCE_MEMORY_MB=512`)', (c) => usd(c.small.total)),
    ].join('\n');
}

if (require.main === module) console.log(costTable());

/** What a lead's orchestration work is made of, per lead (the pipeline bench counts these). */
export interface DurableWork {
    /** Orchestrations started by the client (`getStatus` then `startNew` in `leadEventStarter`). */
    starts: number;
    subOrchestrations: number;
    /** Orchestrator episodes, sub-orchestrations' included. */
    episodes: number;
    activities: number;
    timers: number;
}

/**
 * Storage operations Durable Functions' Azure Storage backend (DurableTask.AzureStorage) makes for that work, as
 * table and queue operations (priced differently). A model, not a measurement: the local host's durable store is not
 * Azure's. From the provider's documentation (learn.microsoft.com/azure/azure-functions/durable/
 * durable-functions-azure-storage-provider: messages in control and work-item queues, history rows in
 * `<hub>History`, one row per instance in `<hub>Instances`) and its tracking store
 * (`AzureTableTrackingStore.UpdateStateAsync`: an episode's new history rows as one entity-group batch, then the
 * instance row merged):
 * - a client start: the status read and the `Instances` row inserted (tables), the ExecutionStarted message (queue);
 * - an episode: the history read (no extended sessions, the default), its new history written and the instance row
 *   updated (tables); the control-queue message read and deleted (queue);
 * - an activity: its work-item message sent, read and deleted, and its result sent to the control queue (queue);
 * - a sub-orchestration: its `Instances` row (table), its start message and its completion message (queue);
 * - a durable timer: its TimerFired message, sent with a visibility delay (queue).
 * Queue polling while idle and partition leases are fixed costs (`fixed` above), not per lead.
 */
export const durableOperationsPer = {
    start: { table: 2, queue: 1 },
    episode: { table: 3, queue: 2 },
    activity: { table: 0, queue: 4 },
    subOrchestration: { table: 1, queue: 2 },
    timer: { table: 0, queue: 1 },
} as const;

export function durableStorageOperations(work: DurableWork): {
    table: number;
    queue: number;
    total: number;
    detail: string;
} {
    const parts = [
        ['starts', work.starts, durableOperationsPer.start],
        ['episodes', work.episodes, durableOperationsPer.episode],
        ['activities', work.activities, durableOperationsPer.activity],
        ['sub-orchestrations', work.subOrchestrations, durableOperationsPer.subOrchestration],
        ['timers', work.timers, durableOperationsPer.timer],
    ] as const;
    const table = parts.reduce((a, [, n, per]) => a + n * per.table, 0);
    const queue = parts.reduce((a, [, n, per]) => a + n * per.queue, 0);
    const detail = parts.map(([k, n, per]) => `${k} ${(n * (per.table + per.queue)).toFixed(1)}`).join(', ');
    return { table, queue, total: table + queue, detail };
}
