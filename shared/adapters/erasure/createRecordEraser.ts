import { ConfigError, type TargetConfig, type TargetType } from '../../domain/index';
import type { RecordEraser } from '../../ports/RecordEraser';
import type { TargetDeps } from '../../ports/TargetFactory';
/* eslint-disable @typescript-eslint/no-require-imports -- each eraser loads when an erasure first needs it */
import type * as Dynamics365 from '../dynamics365/createDynamicsEraser';
import type * as HubSpot from '../hubspot/createHubSpotEraser';
import type * as Marketo from '../marketo/createMarketoEraser';
import type * as Salesforce from '../salesforce/createSalesforceEraser';

export type RecordEraserFactory = (name: string, config: TargetConfig, deps: TargetDeps) => RecordEraser;

/** As the delivery targets: an eraser's module (and its SDKs) loads on its first use, not with the app. */
const onFirstUse =
    (load: () => RecordEraserFactory): RecordEraserFactory =>
    (name, config, deps) =>
        load()(name, config, deps);

/** The CRM types that can delete what the pipeline wrote; notifications (Teams, the webhook) cannot be recalled. */
export const eraserFactories: Partial<Record<TargetType, RecordEraserFactory>> = {
    dynamics365: onFirstUse(
        () => (require('../dynamics365/createDynamicsEraser') as typeof Dynamics365).createDynamicsEraser,
    ),
    salesforce: onFirstUse(
        () => (require('../salesforce/createSalesforceEraser') as typeof Salesforce).createSalesforceEraser,
    ),
    hubspot: onFirstUse(() => (require('../hubspot/createHubSpotEraser') as typeof HubSpot).createHubSpotEraser),
    marketo: onFirstUse(() => (require('../marketo/createMarketoEraser') as typeof Marketo).createMarketoEraser),
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
