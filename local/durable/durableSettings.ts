/** Settings from host.json `extensions.durableTask`, `%SETTING%` references resolved. */
export interface DurableSettings {
    hubName: string;
    maxConcurrentActivityFunctions: number;
    maxConcurrentOrchestratorFunctions: number;
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
    return {
        hubName: hub || 'TestHubName',
        maxConcurrentActivityFunctions: number(durable.maxConcurrentActivityFunctions, 10),
        maxConcurrentOrchestratorFunctions: number(durable.maxConcurrentOrchestratorFunctions, 10),
    };
}
