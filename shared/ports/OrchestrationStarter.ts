/** Starts durable orchestrations (backed by the Durable Functions client). */
export interface OrchestrationStarter {
    /** Starts `name` as `instanceId` unless an instance with that id exists in any state. */
    startIfAbsent(name: string, instanceId: string, input: unknown): Promise<'started' | 'exists'>;
    /** Starts `name` with a fresh `instanceId`. */
    start(name: string, instanceId: string, input: unknown): Promise<void>;
}
