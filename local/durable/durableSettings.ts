/** Settings from host.json `extensions.durableTask`, `%SETTING%` references resolved. */
export interface DurableSettings {
    hubName: string;
    maxConcurrentActivityFunctions: number;
    maxConcurrentOrchestratorFunctions: number;
    /** `storageProvider.type` when host.json names one (Durable Task Scheduler, MSSQL, Netherite): not used here. */
    storageProvider: string | undefined;
}

export function durableSettings(
    hostJson: Record<string, unknown>,
    resolve: (value: string) => string,
): DurableSettings {
    const extensions = (hostJson.extensions ?? {}) as Record<string, unknown>;
    const durable = (extensions.durableTask ?? {}) as Record<string, unknown>;
    const number = (value: unknown, fallback: number): number => {
        const parsed = Number(typeof value === 'string' ? resolve(value) : value);
        return Number.isFinite(parsed) && parsed > 0 ? Math.floor(parsed) : fallback;
    };
    const hub = typeof durable.hubName === 'string' ? resolve(durable.hubName) : '';
    const provider = durable.storageProvider as Record<string, unknown> | undefined;
    const providerType =
        provider && typeof provider === 'object'
            ? typeof provider.type === 'string'
                ? resolve(provider.type)
                : 'settings given'
            : undefined;
    return {
        hubName: hub || 'TestHubName',
        maxConcurrentActivityFunctions: number(durable.maxConcurrentActivityFunctions, 10),
        maxConcurrentOrchestratorFunctions: number(durable.maxConcurrentOrchestratorFunctions, 10),
        storageProvider: providerType,
    };
}
