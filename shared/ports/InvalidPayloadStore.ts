/** Keeps callback bodies that are not a JSON object, so nothing the marketplace sends disappears. */
export interface InvalidPayloadStore {
    /** Stores the body once (keyed by its hash) and returns that id. */
    save(raw: Uint8Array, reason: string, now: Date): Promise<string>;
}
