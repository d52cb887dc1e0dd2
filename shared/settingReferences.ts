const reference = /%([A-Za-z0-9_.:-]+)%/g;

export interface ResolvedOptions {
    /** The options with every `%NAME%` replaced by the setting's value (unset settings become empty). */
    options: Record<string, unknown>;
    /** Option key → names of the settings it references that have no value. */
    missing: Map<string, string[]>;
}

/**
 * Replaces `%SETTING%` references in the string options of a target (one level deep, like Functions binding
 * expressions), so `config/pipeline.json` holds names and the app settings / Key Vault references hold secrets.
 * Two targets of one type simply reference different settings.
 */
export function resolveSettings(
    options: Record<string, unknown>,
    setting: (name: string) => string | undefined,
): ResolvedOptions {
    const resolved: Record<string, unknown> = {};
    const missing = new Map<string, string[]>();
    for (const [key, value] of Object.entries(options)) {
        if (typeof value !== 'string') {
            resolved[key] = value;
            continue;
        }
        const unset: string[] = [];
        resolved[key] = value.replace(reference, (_match, name: string) => {
            const found = setting(name);
            if (found === undefined || found === '') unset.push(name);
            return found ?? '';
        });
        if (unset.length > 0) missing.set(key, unset);
    }
    return { options: resolved, missing };
}

/** Every setting name referenced by a target's options (used to decide `enabled: "auto"`). */
export function settingReferences(options: Record<string, unknown>): string[] {
    const names = new Set<string>();
    for (const value of Object.values(options)) {
        if (typeof value !== 'string') continue;
        for (const m of value.matchAll(reference)) names.add(m[1]!);
    }
    return [...names];
}

/**
 * What App Service leaves in a setting whose Key Vault reference it could not resolve ("If a reference isn't
 * resolved properly, the reference string is used instead", Use Key Vault references as app settings).
 */
const keyVaultReference = /^\s*@Microsoft\.KeyVault\(/iu;

export const isUnresolvedKeyVaultReference = (value: string | undefined): boolean =>
    value !== undefined && keyVaultReference.test(value);

/** Reads settings: empty is unset, and an unresolved Key Vault reference is never handed out as a value. */
export function settingReader(env: Record<string, string | undefined>): (name: string) => string | undefined {
    return (name) => {
        const value = env[name];
        return value === undefined || value === '' || isUnresolvedKeyVaultReference(value) ? undefined : value;
    };
}
