/** Ends and forgets durable runs: their inputs, outputs and histories (the Durable Functions client). */
export interface RunPurger {
    /** Terminates every run of `instanceIds` that still runs; resolves with those not ended yet. */
    stop(instanceIds: readonly string[], reason: string): Promise<string[]>;
    /** Purges the histories of the ended runs among `instanceIds`; resolves how many were purged. */
    purge(instanceIds: readonly string[]): Promise<number>;
    /** Purges every ended run created in [`from`, `to`); resolves how many were purged. */
    purgeEndedBetween(from: Date | undefined, to: Date): Promise<number>;
}
