import type { TargetConfig } from '../domain/index';
import type { DeliveryTarget } from './DeliveryTarget';
import type { Logger } from './Logger';
import type { RateGovernor } from './RateGovernor';

/** What every target adapter factory receives. */
export interface TargetDeps {
    /** Reads an app setting (Key Vault references are already resolved by the platform). */
    setting(name: string): string | undefined;
    logger: Logger;
    now(): Date;
    /** `globalThis.fetch` in production; tests may pass their own. */
    fetch: typeof fetch;
    /** Shared request budget per target; holds across scaled-out instances. */
    rateGovernor: RateGovernor;
    /**
     * How long one call may take when the target's options set no timeout of their own: the pipeline's
     * `delivery.timeoutSeconds` (30 s when not given).
     */
    timeoutMs?: number;
}

/**
 * Builds a target from its configuration. Each adapter exports one, named `create<Type>Target`, from
 * `shared/adapters/<type>/create<Type>Target.ts`. It throws `ConfigError` naming every problem in `config.options`.
 */
export type TargetFactory = (name: string, config: TargetConfig, deps: TargetDeps) => DeliveryTarget;
