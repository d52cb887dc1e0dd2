import { ConfigError, type TargetConfig, type TargetType } from '../domain/index';
import type { DeliveryTarget } from '../ports/DeliveryTarget';
import type { RateGovernor } from '../ports/RateGovernor';
import type { TargetDeps, TargetFactory } from '../ports/TargetFactory';
/* eslint-disable @typescript-eslint/no-require-imports -- each adapter loads when a target of its type is built */
import type * as Dynamics365 from './dynamics365/createDynamics365Target';
import type * as HubSpot from './hubspot/createHubSpotTarget';
import type * as Marketo from './marketo/createMarketoTarget';
import type * as Salesforce from './salesforce/createSalesforceTarget';
import type * as Teams from './teams/createTeamsTarget';
import type * as Webhook from './webhook/createWebhookTarget';

/** A factory whose adapter module (and its SDKs: `@azure/identity` for Dataverse) loads on its first use. */
const onFirstUse =
    (load: () => TargetFactory): TargetFactory =>
    (name, config, deps) =>
        load()(name, config, deps);

/** `TargetConfig.type` → the adapter factory that builds it. */
export const targetFactories: Record<TargetType, TargetFactory> = {
    webhook: onFirstUse(() => (require('./webhook/createWebhookTarget') as typeof Webhook).createWebhookTarget),
    dynamics365: onFirstUse(
        () => (require('./dynamics365/createDynamics365Target') as typeof Dynamics365).createDynamics365Target,
    ),
    salesforce: onFirstUse(
        () => (require('./salesforce/createSalesforceTarget') as typeof Salesforce).createSalesforceTarget,
    ),
    hubspot: onFirstUse(() => (require('./hubspot/createHubSpotTarget') as typeof HubSpot).createHubSpotTarget),
    marketo: onFirstUse(() => (require('./marketo/createMarketoTarget') as typeof Marketo).createMarketoTarget),
    teams: onFirstUse(() => (require('./teams/createTeamsTarget') as typeof Teams).createTeamsTarget),
};

/** Builds the configured target `name`; a type without an adapter in this build is a configuration error. */
export function createTarget(name: string, config: TargetConfig, deps: TargetDeps): DeliveryTarget {
    const factory = targetFactories[config.type] as TargetFactory | undefined;
    if (factory === undefined) {
        throw new ConfigError([{ path: `targets.${name}.type`, message: `no adapter for type "${config.type}"` }]);
    }
    return factory(name, config, deps);
}

/** Building a target does no I/O; what it would use is never called while validating. */
const idle: RateGovernor = { acquire: () => Promise.reject(new Error('not used while validating')) };
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Every problem building target `name` finds in its options, as `{ path, message }` (names of options and settings,
 * never values): the start-up check and the health check report the same. Empty when the target builds.
 */
export function targetProblems(
    name: string,
    config: TargetConfig,
    setting: (name: string) => string | undefined,
): { path: string; message: string }[] {
    try {
        createTarget(name, config, {
            setting,
            logger: silent,
            now: () => new Date(),
            fetch: globalThis.fetch,
            rateGovernor: idle,
        });
        return [];
    } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        return [
            { path: `targets.${name}`, message: `cannot be built (${err instanceof Error ? err.name : typeof err})` },
        ];
    }
}
