/**
 * The only module that reads `process.env`. Settings and `config/pipeline.json` are read and validated once, at
 * load: every target's `%SETTING%` references are resolved to say whether it is on and why not, and the telemetry
 * settings are read here too. A bad configuration fails with one error that names every problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { ConfigError, parsePipelineConfig, type PipelineConfig } from './domain/index';
import { defaults, platformSettingNames, settingNames } from './names';
import { isUnresolvedKeyVaultReference, settingReader as settingsOf } from './settingReferences';
import { type TargetState, targetStates } from './targetStates';
import type { TelemetrySettings } from './telemetry/setupTelemetry';

/**
 * A storage account: a connection string, or (identity-based, in Azure) the account name and/or the service URIs
 * (`<connection>__tableServiceUri`, `__blobServiceUri`), which win over a URI built from the name: they carry the
 * cloud's own suffix (a sovereign cloud is not core.windows.net) and any custom endpoint.
 */
export type StorageSetting =
    | { connectionString: string }
    | { accountName?: string; tableServiceUri?: string; blobServiceUri?: string; clientId?: string };
export type ServiceBusSetting = { connectionString: string } | { fullyQualifiedNamespace: string; clientId?: string };

export type { TargetState };

/**
 * Who may call the operations API. `function-key`: the Functions host checks the key (`authLevel: function`), and a
 * caller with it may do everything. `entra`: the functions are anonymous to the host; App Service authentication
 * signs the caller in and injects the principal, and the app checks its tenant, audience and roles itself.
 */
export type OperationsAccess =
    { mode: 'function-key' } | { mode: 'entra'; tenantId: string; clientId: string; platformAuthEnabled: boolean };

/** What the intake needs to store a callback and enqueue it: nothing from `config/pipeline.json`. */
export interface IntakeConfig {
    storage: StorageSetting;
    /** Unset: the intake still stores the lead, answers 503, and the sweeper enqueues it once this is set. */
    serviceBus?: ServiceBusSetting;
    leadEventsQueue: string;
    tablePrefix: string;
    webhookMaxBodyBytes: number;
}

export interface AppConfig extends IntakeConfig {
    serviceBus: ServiceBusSetting;
    /** The account of the marketplace's `MarketplaceLeads` table; undefined when the table destination is unused. */
    marketplaceLeadsStorage?: StorageSetting;
    pipeline: PipelineConfig;
    /** Each configured target's state, resolved against the settings at load. */
    targetStates: Readonly<Record<string, TargetState>>;
    /** Configured targets that are enabled (`"auto"`: every referenced setting has a value). */
    enabledTargets: ReadonlySet<string>;
    /** A setting's value; undefined when empty or an unresolved Key Vault reference. */
    setting: (name: string) => string | undefined;
    telemetry: TelemetrySettings;
    access: OperationsAccess;
}

type Env = Record<string, string | undefined>;

const MAX_BODY_LIMIT = 384 * 1024;

function storageSetting(env: Env, name: string): StorageSetting | undefined {
    const value = settingsOf(env);
    const connectionString = value(name);
    if (connectionString !== undefined) return { connectionString };
    const identityBased = {
        accountName: value(`${name}__accountName`),
        tableServiceUri: value(`${name}__tableServiceUri`),
        blobServiceUri: value(`${name}__blobServiceUri`),
    };
    if (Object.values(identityBased).every((v) => v === undefined)) return undefined;
    return { ...identityBased, clientId: value(`${name}__clientId`) };
}

/**
 * Whether the marketplace's table destination is configured. The poller registers its timer only then, so an app
 * without it never wakes every minute to read a table nobody writes.
 */
export function marketplaceTableConfigured(env: Env = process.env): boolean {
    return storageSetting(env, settingNames.marketplaceLeadsStorage) !== undefined;
}

function pipelineConfigPath(env: Env): string {
    const configured = env[settingNames.pipelineConfigPath];
    if (configured !== undefined && configured !== '') return resolve(configured);
    // Compiled: dist/shared/config.js; under ts-jest: shared/config.ts. The app folder is the first that has config/.
    const candidates = [
        join(__dirname, '..', 'config', 'pipeline.json'),
        join(__dirname, '..', '..', 'config', 'pipeline.json'),
    ];
    return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

type Problem = { path: string; message: string };

/** The settings of {@link IntakeConfig}, with every problem found; `serviceBus` problems are listed apart. */
function readIntakeSettings(env: Env) {
    const problems: Problem[] = [];
    const setting = settingsOf(env);
    const unset = (name: string, message: string): Problem => ({
        path: name,
        message: isUnresolvedKeyVaultReference(env[name])
            ? 'holds a Key Vault reference the platform could not resolve'
            : message,
    });
    const storage = storageSetting(env, settingNames.storage);
    if (storage === undefined) problems.push(unset(settingNames.storage, 'is not set'));
    let serviceBus: ServiceBusSetting | undefined;
    const serviceBusProblems: Problem[] = [];
    const sb = setting(settingNames.serviceBus);
    const sbNamespace = setting(`${settingNames.serviceBus}__fullyQualifiedNamespace`);
    if (sb !== undefined) serviceBus = { connectionString: sb };
    else if (sbNamespace !== undefined) {
        serviceBus = {
            fullyQualifiedNamespace: sbNamespace,
            clientId: setting(`${settingNames.serviceBus}__clientId`),
        };
    } else serviceBusProblems.push(unset(settingNames.serviceBus, 'is not set (nor __fullyQualifiedNamespace)'));
    const maxBody = Number(setting(settingNames.webhookMaxBodyBytes) ?? defaults.webhookMaxBodyBytes);
    // A parsed lead is about 1.3× its body and must fit one Table entity (1 MiB, counted in UTF-16).
    if (!Number.isInteger(maxBody) || maxBody <= 0 || maxBody > MAX_BODY_LIMIT) {
        problems.push({
            path: settingNames.webhookMaxBodyBytes,
            message: `must be an integer from 1 to ${MAX_BODY_LIMIT}`,
        });
    }
    const prefix = setting(settingNames.tablePrefix) ?? defaults.tablePrefix;
    if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/u.test(prefix)) {
        problems.push({
            path: settingNames.tablePrefix,
            message: 'must be letters and digits, starting with a letter',
        });
    }
    const leadEventsQueue = setting(settingNames.leadEventsQueue) ?? defaults.leadEventsQueue;
    return { problems, serviceBusProblems, storage, serviceBus, leadEventsQueue, tablePrefix: prefix, maxBody };
}

/** The access mode and, with `entra`, its tenant and client id, with a problem for each one missing. */
function readAccess(env: Env): { access?: OperationsAccess; problems: Problem[] } {
    const setting = settingsOf(env);
    const mode = setting(settingNames.operationsAuth) ?? 'function-key';
    if (mode === 'function-key') return { access: { mode }, problems: [] };
    if (mode !== 'entra') {
        return { problems: [{ path: settingNames.operationsAuth, message: 'must be function-key or entra' }] };
    }
    const tenantId = setting(settingNames.operationsAuthTenantId);
    const clientId = setting(settingNames.operationsAuthClientId);
    const problems: Problem[] = [];
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
    if (tenantId === undefined || !guid.test(tenantId))
        problems.push({ path: settingNames.operationsAuthTenantId, message: 'must be the tenant id (a GUID)' });
    if (clientId === undefined || !guid.test(clientId))
        problems.push({ path: settingNames.operationsAuthClientId, message: 'must be the client id (a GUID)' });
    if (problems.length > 0) return { problems };
    const platformAuthEnabled = (env[platformSettingNames.authEnabled] ?? '').toLowerCase() === 'true';
    return { access: { mode, tenantId: tenantId!, clientId: clientId!, platformAuthEnabled }, problems };
}

/**
 * The `authLevel` of the operations API's functions, read when they register: the host checks the function key,
 * or (with `entra`) lets every request through to the app, which checks the signed-in principal.
 */
export function operationsAuthLevel(env: Env = process.env): 'function' | 'anonymous' {
    return settingsOf(env)(settingNames.operationsAuth) === 'entra' ? 'anonymous' : 'function';
}

function readPipeline(env: Env): { pipeline?: PipelineConfig; problems: Problem[] } {
    const path = pipelineConfigPath(env);
    try {
        return { pipeline: parsePipelineConfig(JSON.parse(readFileSync(path, 'utf8')) as unknown), problems: [] };
    } catch (err) {
        if (err instanceof ConfigError) {
            return { problems: err.problems.map((p) => ({ ...p, path: `pipeline.${p.path}` })) };
        }
        return {
            problems: [
                { path: settingNames.pipelineConfigPath, message: `cannot read ${path}: ${(err as Error).message}` },
            ],
        };
    }
}

export interface ConfigReading {
    /** The configuration, when there is no problem. */
    config?: AppConfig;
    /** Every problem found. */
    problems: Problem[];
    /** The rules file and its targets' states whenever the file parsed, so a check can go on to the targets. */
    pipeline?: PipelineConfig;
    targetStates?: Readonly<Record<string, TargetState>>;
    setting: (name: string) => string | undefined;
}

/** Everything, with every problem: the configuration when there are none. */
export function readConfig(env: Env = process.env): ConfigReading {
    const intake = readIntakeSettings(env);
    const { pipeline, problems: pipelineProblems } = readPipeline(env);
    const { access, problems: accessProblems } = readAccess(env);
    const problems = [...intake.problems, ...intake.serviceBusProblems, ...accessProblems, ...pipelineProblems];
    const setting = settingsOf(env);
    const states = pipeline === undefined ? undefined : Object.freeze(targetStates(pipeline.targets, env));
    const { storage, serviceBus } = intake;
    if (
        problems.length > 0 ||
        storage === undefined ||
        serviceBus === undefined ||
        pipeline === undefined ||
        access === undefined
    ) {
        return { pipeline, targetStates: states, problems, setting };
    }
    const config: AppConfig = Object.freeze({
        storage,
        serviceBus,
        leadEventsQueue: intake.leadEventsQueue,
        marketplaceLeadsStorage: storageSetting(env, settingNames.marketplaceLeadsStorage),
        tablePrefix: intake.tablePrefix,
        webhookMaxBodyBytes: intake.maxBody,
        pipeline,
        targetStates: states!,
        enabledTargets: new Set(Object.keys(states!).filter((name) => states![name]!.enabled)),
        setting,
        telemetry: telemetrySettings(env),
        access,
    });
    return { config, pipeline, targetStates: states, problems, setting };
}

export function loadConfig(env: Env = process.env): AppConfig {
    const { config, problems } = readConfig(env);
    if (config === undefined) throw new ConfigError(problems);
    return config;
}

/**
 * The intake's settings only: a broken `config/pipeline.json`, a target or a missing Service Bus setting never
 * keeps the intake from storing what the marketplace sends. Throws only when the intake itself cannot work.
 */
export function loadIntakeConfig(env: Env = process.env): IntakeConfig {
    const intake = readIntakeSettings(env);
    if (intake.problems.length > 0 || intake.storage === undefined) throw new ConfigError(intake.problems);
    return Object.freeze({
        storage: intake.storage,
        serviceBus: intake.serviceBus,
        leadEventsQueue: intake.leadEventsQueue,
        tablePrefix: intake.tablePrefix,
        webhookMaxBodyBytes: intake.maxBody,
    });
}

/**
 * The operations API's access mode alone, which is all its checks need: a broken rules file or CRM setting never
 * changes who may call, and a missing or bad access setting refuses every call (503) rather than opening them.
 */
export function readOperationsAccess(env: Env = process.env): OperationsAccess {
    const { access, problems } = readAccess(env);
    if (access === undefined) throw new ConfigError(problems);
    return access;
}

let loaded: AppConfig | undefined;
let intakeLoaded: IntakeConfig | undefined;

/** The validated configuration, loaded on first use. */
export function getConfig(): AppConfig {
    loaded ??= loadConfig();
    return loaded;
}

/** The intake's settings, loaded on first use. */
export function getIntakeConfig(): IntakeConfig {
    intakeLoaded ??= loadIntakeConfig();
    return intakeLoaded;
}

/** The targets of `pipeline` that would be on with these settings (as the app decides at start-up). */
export function availableTargetsOf(pipeline: PipelineConfig, env: Env = process.env): ReadonlySet<string> {
    const states = targetStates(pipeline.targets, env);
    return new Set(Object.keys(states).filter((name) => states[name]!.enabled));
}

/**
 * Application Insights settings; without a connection string telemetry stays off and loads nothing. The platform's
 * site name becomes the cloud role name.
 */
export function telemetrySettings(env: Env = process.env): TelemetrySettings {
    return {
        connectionString: env[settingNames.appInsightsConnectionString],
        authenticationString: env[settingNames.appInsightsAuthenticationString],
        serviceName: env[platformSettingNames.siteName] || undefined,
    };
}
