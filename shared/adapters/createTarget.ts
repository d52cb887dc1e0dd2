import { ConfigError, type TargetConfig, type TargetType } from '../domain/index';
import type { DeliveryTarget } from '../ports/DeliveryTarget';
import type { RateGovernor } from '../ports/RateGovernor';
import type { TargetDeps, TargetFactory } from '../ports/TargetFactory';
import { createDynamics365Target } from './dynamics365/createDynamics365Target';
import { createHubSpotTarget } from './hubspot/createHubSpotTarget';
import { createMarketoTarget } from './marketo/createMarketoTarget';
import { createSalesforceTarget } from './salesforce/createSalesforceTarget';
import { createTeamsTarget } from './teams/createTeamsTarget';
import { createWebhookTarget } from './webhook/createWebhookTarget';

/** `TargetConfig.type` → the adapter factory that builds it. */
export const targetFactories: Record<TargetType, TargetFactory> = {
    webhook: createWebhookTarget,
    dynamics365: createDynamics365Target,
    salesforce: createSalesforceTarget,
    hubspot: createHubSpotTarget,
    marketo: createMarketoTarget,
    teams: createTeamsTarget,
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
