import { ConfigError, type TargetConfig, type TargetType } from '../domain/index';
import type { DeliveryTarget } from '../ports/DeliveryTarget';
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
