/**
 * Whether each configured target receives leads, from its `enabled` and the settings its `%SETTING%` references name.
 */
import type { TargetConfig } from './domain/index';
import { isUnresolvedKeyVaultReference, settingReader, settingReferences } from './settingReferences';

/** Whether a configured target receives leads, and if not, why (names of settings only, never values). */
export interface TargetState {
    enabled: boolean;
    /** Why it is off; absent when it is on. */
    reason?: string;
    /** Settings its options reference that have no value. */
    unsetSettings: string[];
    /**
     * Settings that still hold an `@Microsoft.KeyVault(...)` reference text: the platform could not resolve it (the
     * app's identity cannot read the vault yet, or the secret is missing). Such a value is never used.
     */
    unresolvedSettings: string[];
}

const unresolvedReason = (settings: string[]) =>
    `settings hold a Key Vault reference the platform could not resolve: ${settings.join(', ')}` +
    " (check the app's access to the vault and the secret's name)";

/**
 * Each target's state from its `enabled` and the settings its options reference: `"auto"` is on exactly when every
 * referenced setting has a value, and a setting holding an unresolved Key Vault reference keeps any target off.
 */
export function targetStates(
    targets: Readonly<Record<string, TargetConfig>>,
    env: Record<string, string | undefined>,
): Record<string, TargetState> {
    const setting = settingReader(env);
    const states: Record<string, TargetState> = {};
    for (const [name, target] of Object.entries(targets)) {
        const names = settingReferences(target.options);
        const unresolvedSettings = names.filter((n) => isUnresolvedKeyVaultReference(env[n]));
        const unsetSettings = names.filter((n) => setting(n) === undefined && !unresolvedSettings.includes(n));
        const state = { unsetSettings, unresolvedSettings };
        if (target.enabled === false)
            states[name] = { ...state, enabled: false, reason: 'disabled in the configuration' };
        else if (unresolvedSettings.length > 0) {
            states[name] = {
                ...state,
                enabled: false,
                reason: unresolvedReason(unresolvedSettings),
            };
        } else if (target.enabled === 'auto' && unsetSettings.length > 0) {
            states[name] = { ...state, enabled: false, reason: `settings not set: ${unsetSettings.join(', ')}` };
        } else states[name] = { ...state, enabled: true };
    }
    return states;
}
