import type { TargetRole } from './Decision';

/** Target types the pipeline knows; `config/pipeline.json` names each configured target and gives its type. */
export type TargetType = 'webhook' | 'dynamics365' | 'salesforce' | 'hubspot' | 'marketo' | 'teams';

/**
 * One entry of `targets` in `config/pipeline.json`, keyed by the target's name. The file never holds secrets or URLs:
 * string options may reference app settings as `%SETTING_NAME%`, resolved when the adapter is built.
 */
export interface TargetConfig {
    type: TargetType;
    /** Outreach targets contact the customer; notify targets only tell people. DNC leads reach notify targets only. */
    role: TargetRole;
    /**
     * `true`/`false`, or `"auto"`: enabled exactly when every `%SETTING%` its options reference has a value, so the
     * default config can list every target without breaking a publisher who has configured only some.
     */
    enabled: boolean | 'auto';
    description?: string;
    /** Type-specific options, validated by the adapter for `type` at start-up. */
    options: Record<string, unknown>;
    /** Field mapping overrides: target field name → lead field path (see the adapter's defaults). */
    mapping?: Record<string, string>;
    /** Overrides of the type's default request budget. */
    rateLimit?: { requests?: number; perSeconds?: number; maxConcurrent?: number };
}
