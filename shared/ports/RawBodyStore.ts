/** Keeps raw bodies too large for a Table property (blob storage in production). */
export interface RawBodyStore {
    /** Stores `bytes` under `name` (overwriting is harmless: the same name always holds the same body). */
    put(name: string, bytes: Uint8Array): Promise<void>;
    /** The body, or undefined when there is none (never stored, removed, or erased). */
    get(name: string): Promise<Uint8Array | undefined>;
    /** Removes the body for good; resolves whether there was one. */
    delete(name: string): Promise<boolean>;
    /** Removes up to `limit` bodies whose name starts with `prefix`, stored before `cutoff`; resolves how many. */
    removeBefore(prefix: string, cutoff: Date, limit: number): Promise<number>;
}
