/**
 * The only module that reads `process.env`. Settings and `config/pipeline.json` are read and validated once, at
 * load: every target's `%SETTING%` references are resolved to say whether it is on and why not, and the telemetry
 * settings are read here too. A bad configuration fails with one error that names every problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { ConfigError, parsePipelineConfig, type PipelineConfig, type TargetConfig } from './domain/index';
import { defaults, platformSettingNames, settingNames } from './names';
import { settingReferences } from './settingReferences';
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

/** Whether a configured target receives leads, and if not, why (names of settings only, never values). */
export interface TargetState {
    enabled: boolean;
    /** Why it is off; absent when it is on. */
    reason?: string;
    /** Settings its options reference that have no value. */
    unsetSettings: string[];
}

export interface AppConfig {
    storage: StorageSetting;
    serviceBus: ServiceBusSetting;
    leadEventsQueue: string;
    /** The account holding the marketplace's `MarketplaceLeads` table; undefined when the table destination is unused. */
    marketplaceLeadsStorage?: StorageSetting;
    tablePrefix: string;
    webhookMaxBodyBytes: number;
    pipeline: PipelineConfig;
    /** Each configured target's state, resolved against the settings at load. */
    targetStates: Readonly<Record<string, TargetState>>;
    /** Configured targets that are enabled (`"auto"`: every referenced setting has a value). */
    enabledTargets: ReadonlySet<string>;
    /** A setting's value; undefined when empty. */
    setting: (name: string) => string | undefined;
    telemetry: TelemetrySettings;
}

type Env = Record<string, string | undefined>;

const MAX_BODY_LIMIT = 384 * 1024;

/** Reads settings: empty is unset. */
function settingsOf(env: Env): (name: string) => string | undefined {
    return (name) => {
        const value = env[name];
        return value === undefined || value === '' ? undefined : value;
    };
}

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

/**
 * Each target's state from its `enabled` and the settings its options reference: `"auto"` is on exactly when every
 * referenced setting has a value.
 */
export function targetStates(targets: Readonly<Record<string, TargetConfig>>, env: Env): Record<string, TargetState> {
    const setting = settingsOf(env);
    const states: Record<string, TargetState> = {};
    for (const [name, target] of Object.entries(targets)) {
        const names = settingReferences(target.options);
        const unsetSettings = names.filter((n) => setting(n) === undefined);
        const state = { unsetSettings };
        if (target.enabled === false)
            states[name] = { ...state, enabled: false, reason: 'disabled in the configuration' };
        else if (target.enabled === 'auto' && unsetSettings.length > 0) {
            states[name] = { ...state, enabled: false, reason: `settings not set: ${unsetSettings.join(', ')}` };
        } else states[name] = { ...state, enabled: true };
    }
    return states;
}

export function loadConfig(env: Env = process.env): AppConfig {
    const problems: { path: string; message: string }[] = [];
    const setting = settingsOf(env);
    const unset = (name: string, message: string) => problems.push({ path: name, message });
    const storage = storageSetting(env, settingNames.storage);
    if (storage === undefined) unset(settingNames.storage, 'is not set');
    let serviceBus: ServiceBusSetting | undefined;
    const sb = setting(settingNames.serviceBus);
    const sbNamespace = setting(`${settingNames.serviceBus}__fullyQualifiedNamespace`);
    if (sb !== undefined) serviceBus = { connectionString: sb };
    else if (sbNamespace !== undefined) {
        serviceBus = {
            fullyQualifiedNamespace: sbNamespace,
            clientId: setting(`${settingNames.serviceBus}__clientId`),
        };
    } else unset(settingNames.serviceBus, 'is not set (nor __fullyQualifiedNamespace)');
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
    let pipeline: PipelineConfig | undefined;
    const path = pipelineConfigPath(env);
    try {
        pipeline = parsePipelineConfig(JSON.parse(readFileSync(path, 'utf8')) as unknown);
    } catch (err) {
        if (err instanceof ConfigError)
            problems.push(...err.problems.map((p) => ({ ...p, path: `pipeline.${p.path}` })));
        else
            problems.push({
                path: settingNames.pipelineConfigPath,
                message: `cannot read ${path}: ${(err as Error).message}`,
            });
    }
    if (problems.length > 0 || storage === undefined || serviceBus === undefined || pipeline === undefined) {
        throw new ConfigError(problems);
    }
    const states = targetStates(pipeline.targets, env);
    return Object.freeze({
        storage,
        serviceBus,
        leadEventsQueue: setting(settingNames.leadEventsQueue) ?? defaults.leadEventsQueue,
        marketplaceLeadsStorage: storageSetting(env, settingNames.marketplaceLeadsStorage),
        tablePrefix: prefix,
        webhookMaxBodyBytes: maxBody,
        pipeline,
        targetStates: Object.freeze(states),
        enabledTargets: new Set(Object.keys(states).filter((name) => states[name]!.enabled)),
        setting,
        telemetry: telemetrySettings(env),
    });
}

let loaded: AppConfig | undefined;

/** The validated configuration, loaded on first use. */
export function getConfig(): AppConfig {
    loaded ??= loadConfig();
    return loaded;
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
