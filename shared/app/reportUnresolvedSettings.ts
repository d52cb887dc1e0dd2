import type { Logger } from '../ports/Logger';
import type { TargetState } from '../targetStates';

/**
 * Warns, for every target that is off because a setting still holds an unresolved Key Vault reference, with the
 * target and the setting names (never the reference). The reference text is never used as a credential: the target
 * is simply not configured until the platform resolves it (the app's identity needs "Key Vault Secrets User").
 */
export function reportUnresolvedSettings(states: Readonly<Record<string, TargetState>>, logger: Logger): number {
    let count = 0;
    for (const [target, state] of Object.entries(states)) {
        if (state.unresolvedSettings.length === 0) continue;
        count++;
        logger.warn('Target is off: a setting holds a Key Vault reference the platform could not resolve', {
            target,
            settings: state.unresolvedSettings.join(','),
        });
    }
    return count;
}
