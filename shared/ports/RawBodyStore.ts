/** Keeps raw bodies too large for a Table property (blob storage in production). */
export interface RawBodyStore {
    /** Stores `bytes` under `name` (overwriting is harmless: the same name always holds the same body). */
    put(name: string, bytes: Uint8Array): Promise<void>;
    get(name: string): Promise<Uint8Array | undefined>;
}
