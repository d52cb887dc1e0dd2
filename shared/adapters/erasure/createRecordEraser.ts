import { ConfigError, type TargetConfig, type TargetType } from '../../domain/index';
import type { RecordEraser } from '../../ports/RecordEraser';
import type { TargetDeps } from '../../ports/TargetFactory';
import { createDynamicsEraser } from '../dynamics365/createDynamicsEraser';
import { createHubSpotEraser } from '../hubspot/createHubSpotEraser';
import { createMarketoEraser } from '../marketo/createMarketoEraser';
import { createSalesforceEraser } from '../salesforce/createSalesforceEraser';

export type RecordEraserFactory = (name: string, config: TargetConfig, deps: TargetDeps) => RecordEraser;

/** The CRM types that can delete what the pipeline wrote; notifications (Teams, the webhook) cannot be recalled. */
export const eraserFactories: Partial<Record<TargetType, RecordEraserFactory>> = {
    dynamics365: createDynamicsEraser,
    salesforce: createSalesforceEraser,
    hubspot: createHubSpotEraser,
    marketo: createMarketoEraser,
};

/** Builds the eraser of target `name`; throws `ConfigError` when its type cannot erase or its options are wrong. */
export function createRecordEraser(name: string, config: TargetConfig, deps: TargetDeps): RecordEraser {
    const factory = eraserFactories[config.type];
    if (factory === undefined) {
        throw new ConfigError([
            { path: `targets.${name}.type`, message: `a ${config.type} target cannot erase records` },
        ]);
    }
    return factory(name, config, deps);
}
