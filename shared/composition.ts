/**
 * Wires adapters to ports from the validated configuration, lazily and once per worker: function files call
 * `getDeps()` inside handlers, never at import time, so tests import them without settings. SDKs that only some
 * paths use (`@azure/identity` for managed identity, Blob Storage for large bodies, Service Bus for the intake) are
 * loaded when first used, not when the app loads.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy `require` keeps unused SDKs off the cold start */
import type * as Identity from '@azure/identity';
import type { DefaultAzureCredential } from '@azure/identity';

import { createBlobRawBodyStore } from './adapters/blob/createBlobRawBodyStore';
import { createTarget } from './adapters/createTarget';
import { createRecordEraser } from './adapters/erasure/createRecordEraser';
import { TableRateGovernor } from './adapters/rateGovernor/TableRateGovernor';
import { createServiceBusPublisher } from './adapters/serviceBus/createServiceBusPublisher';
import { storageServiceUri } from './adapters/storageServiceUri';
import { createMarketplaceRowEraser } from './adapters/tables/createMarketplaceRowEraser';
import { createMarketplaceRowSource } from './adapters/tables/createMarketplaceRowSource';
import { createTableAssignmentStore } from './adapters/tables/createTableAssignmentStore';
import { createTableCheckpointStore } from './adapters/tables/createTableCheckpointStore';
import { createTableErasureLog } from './adapters/tables/createTableErasureLog';
import { createTableInvalidPayloadStore } from './adapters/tables/createTableInvalidPayloadStore';
import { createTableLeadEraser } from './adapters/tables/createTableLeadEraser';
import { createTableLeadRepository } from './adapters/tables/createTableLeadRepository';
import { createTableParkedLeadStore } from './adapters/tables/createTableParkedLeadStore';
import { createTablePayloadEraser } from './adapters/tables/createTablePayloadEraser';
import { createTableClientFactory, tableClient, type TableConnection } from './adapters/tables/tableClients';
import { type AckLinks, ackLinks } from './app/ackLink';
import { trackRequestsSent } from './app/requestsSent';
import { createTargetGate, type TargetGate } from './app/targetGate';
import {
    type AppConfig,
    getConfig,
    getIntakeConfig,
    type IntakeConfig,
    type StorageSetting,
    telemetrySettings,
} from './config';
import { type PrivacyPolicy, privacyPolicyOf, TransientError } from './domain/index';
import { assignmentSettingNames, defaults, platformSettingNames, tableNames } from './names';
import type { AssignmentStore } from './ports/AssignmentStore';
import type { CheckpointStore } from './ports/CheckpointStore';
import type { DeliveryTarget } from './ports/DeliveryTarget';
import type { ErasureLog } from './ports/ErasureLog';
import type { InvalidPayloadStore } from './ports/InvalidPayloadStore';
import type { LeadEraser } from './ports/LeadEraser';
import type { LeadPublisher } from './ports/LeadPublisher';
import type { LeadRepository } from './ports/LeadRepository';
import type { Logger } from './ports/Logger';
import type { MarketplaceRowEraser } from './ports/MarketplaceRowEraser';
import type { MarketplaceRowSource } from './ports/MarketplaceRowSource';
import type { ParkedLeadStore } from './ports/ParkedLeadStore';
import type { PayloadEraser } from './ports/PayloadEraser';
import type { RateGovernor } from './ports/RateGovernor';
import type { RawBodyStore } from './ports/RawBodyStore';
import type { RecordEraser } from './ports/RecordEraser';
import { registerStartupCheck } from './startupCheck';
import { registerTelemetryHooks } from './telemetry/registerTelemetryHooks';

// Telemetry starts when the app loads: every function file that records a metric imports this module, and the host
// loads all of them before the first invocation, so the SDK is registered before any instrument is created (the
// metrics API has no proxy: an instrument created earlier would stay a no-op). Without a connection string this
// loads nothing and registers no hook.
registerTelemetryHooks(telemetrySettings());
// A bad configuration stops the app when it starts, listing every problem, instead of failing lead by lead.
registerStartupCheck();

/** What the intake stores and enqueues with: built from the intake's settings alone. */
export interface IntakeDeps {
    leads: LeadRepository;
    invalidPayloads: InvalidPayloadStore;
    publisher: LeadPublisher;
    maxBodyBytes: number;
    now: () => Date;
}

export interface Deps extends Omit<IntakeDeps, 'maxBodyBytes'> {
    config: AppConfig;
    parked: ParkedLeadStore;
    checkpoints: CheckpointStore;
    /** The marketplace's table, when `MarketplaceLeadsStorage` is set. */
    marketplaceRows: MarketplaceRowSource | undefined;
    /** Bounds each target's calls in flight in this worker, so a hung target cannot take every activity slot. */
    gate: TargetGate;
    /** Builds the enabled target `name` for one invocation (its logs go to that invocation). */
    target(name: string, logger: Logger): DeliveryTarget | undefined;
    privacy: PrivacyDeps;
    now: () => Date;
    assignments: AssignmentStore;
    /** The acknowledgement links' signer, when `ASSIGNMENT_ACK_KEY` is set. */
    ackLinks?: AckLinks;
    ackKey?: string;
}

/** The links' key and base URL from the settings (the key is a Key Vault reference in Azure). */
function ackSettings(config: AppConfig): { key: string; links: AckLinks } | undefined {
    const key = config.setting(assignmentSettingNames.ackKey);
    if (key === undefined || key.length < 32) return undefined;
    const host = config.setting(platformSettingNames.hostName);
    const base =
        config.setting(assignmentSettingNames.publicBaseUrl) ??
        (host === undefined ? 'http://localhost:7071' : `https://${host}`);
    return { key, links: ackLinks(base, key) };
}

/** What erasure, export and retention work with. */
export interface PrivacyDeps {
    policy: PrivacyPolicy;
    leads: LeadEraser;
    payloads: PayloadEraser;
    log: ErasureLog;
    rawBodies: RawBodyStore;
    /** The marketplace's table, when `MarketplaceLeadsStorage` is set. */
    marketplaceRows: MarketplaceRowEraser | undefined;
    /** The eraser of the enabled target `name`; throws `ConfigError` when its type or options cannot erase. */
    eraser(name: string, logger: Logger): RecordEraser | undefined;
}

// One gate per worker: the activity slots it protects are the worker's.
const gate = createTargetGate(defaults.maxCallsInFlightPerTarget);

// One credential per identity, so tables, blobs, the rate governor and Service Bus share one token cache.
const credentials = new Map<string, DefaultAzureCredential>();

function credential(clientId: string | undefined): DefaultAzureCredential {
    const key = clientId ?? '';
    let found = credentials.get(key);
    if (found === undefined) {
        const { DefaultAzureCredential: Credential } = require('@azure/identity') as typeof Identity;
        found = new Credential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
        credentials.set(key, found);
    }
    return found;
}

function endpoint(setting: StorageSetting, service: 'table' | 'blob'): TableConnection {
    if ('connectionString' in setting) return setting;
    return { endpoint: storageServiceUri(setting, service), credential: credential(setting.clientId) };
}

/** Without Service Bus settings every publish fails as transient: the lead stays stored for the sweeper to enqueue. */
const notConfiguredPublisher: LeadPublisher = {
    publish: () => Promise.reject(new TransientError('Service Bus is not configured', { code: 'not-configured' })),
};

function storesOf(config: IntakeConfig) {
    const tables = createTableClientFactory(endpoint(config.storage, 'table'), config.tablePrefix);
    const rawBodies = createBlobRawBodyStore(endpoint(config.storage, 'blob'), defaults.rawBodyContainer, () =>
        tables(tableNames.rawBodies),
    );
    const sb = config.serviceBus;
    const publisher =
        sb === undefined
            ? notConfiguredPublisher
            : createServiceBusPublisher(
                  'connectionString' in sb
                      ? sb
                      : { fullyQualifiedNamespace: sb.fullyQualifiedNamespace, credential: credential(sb.clientId) },
                  config.leadEventsQueue,
              );
    return { tables, rawBodies, publisher };
}

export function buildIntakeDeps(config: IntakeConfig): IntakeDeps {
    const { tables, rawBodies, publisher } = storesOf(config);
    return {
        leads: createTableLeadRepository(tables, rawBodies),
        invalidPayloads: createTableInvalidPayloadStore(tables, rawBodies),
        publisher,
        maxBodyBytes: config.webhookMaxBodyBytes,
        now: () => new Date(),
    };
}

export function buildDeps(config: AppConfig): Deps {
    const { tables, rawBodies, publisher } = storesOf(config);
    // Shared by every scaled-out instance, so the budget holds for the app as a whole, not per worker.
    const rateGovernor: RateGovernor = new TableRateGovernor(
        tableClient(endpoint(config.storage, 'table'), `${config.tablePrefix}${tableNames.rateGovernor}`),
        { now: () => new Date() },
    );
    const marketplace = config.marketplaceLeadsStorage;
    const ack = ackSettings(config);
    const marketplaceTable =
        marketplace === undefined
            ? undefined
            : tableClient(endpoint(marketplace, 'table'), defaults.marketplaceLeadsTable);
    const targetDeps = (logger: Logger) => ({
        setting: config.setting,
        logger,
        now: () => new Date(),
        fetch: globalThis.fetch,
        rateGovernor,
        timeoutMs: config.pipeline.delivery.timeoutSeconds * 1000,
    });
    return {
        config,
        leads: createTableLeadRepository(tables, rawBodies),
        parked: createTableParkedLeadStore(tables),
        checkpoints: createTableCheckpointStore(tables),
        invalidPayloads: createTableInvalidPayloadStore(tables, rawBodies),
        publisher,
        marketplaceRows: marketplaceTable === undefined ? undefined : createMarketplaceRowSource(marketplaceTable),
        gate,
        assignments: createTableAssignmentStore(() => tables(tableNames.assignments)),
        ...(ack === undefined ? {} : { ackLinks: ack.links, ackKey: ack.key }),
        target(name, logger) {
            const targetConfig = config.pipeline.targets[name];
            if (targetConfig === undefined || !config.enabledTargets.has(name)) return undefined;
            // Counts the requests the governor let through, so an attempt stopped by an exhausted budget before
            // anything was sent is told from one that reached the target.
            let sent = 0;
            const counted: RateGovernor = {
                acquire: async (target, budget) => {
                    const lease = await rateGovernor.acquire(target, budget);
                    sent++;
                    return lease;
                },
                ...(rateGovernor.pause === undefined ? {} : { pause: rateGovernor.pause.bind(rateGovernor) }),
            };
            const built = createTarget(name, targetConfig, { ...targetDeps(logger), rateGovernor: counted });
            return trackRequestsSent(built, () => sent);
        },
        privacy: {
            policy: privacyPolicyOf(config.pipeline.privacy),
            leads: createTableLeadEraser(tables, rawBodies),
            payloads: createTablePayloadEraser(tables, rawBodies),
            log: createTableErasureLog(tables),
            rawBodies,
            marketplaceRows: marketplaceTable === undefined ? undefined : createMarketplaceRowEraser(marketplaceTable),
            eraser(name, logger) {
                const targetConfig = config.pipeline.targets[name];
                if (targetConfig === undefined || !config.enabledTargets.has(name)) return undefined;
                return createRecordEraser(name, targetConfig, targetDeps(logger));
            },
        },
        now: () => new Date(),
    };
}

let deps: Deps | undefined;
let intakeDeps: IntakeDeps | undefined;

export function getDeps(): Deps {
    deps ??= buildDeps(getConfig());
    return deps;
}

/** The intake's dependencies: they need storage (and Service Bus to enqueue), never the pipeline's rules. */
export function getIntakeDeps(): IntakeDeps {
    intakeDeps ??= buildIntakeDeps(getIntakeConfig());
    return intakeDeps;
}
