/** Keeps callback bodies that are not a JSON object, so nothing the marketplace sends disappears. */
export interface InvalidPayloadStore {
    /** Stores the body once (keyed by its hash) and returns that id. */
    save(raw: Uint8Array, reason: string, now: Date): Promise<string>;
    /** The most recent bodies, newest first: id, reason, size and the start of the body as text. */
    recent(limit: number): Promise<InvalidPayloadSummary[]>;
}

export interface InvalidPayloadSummary {
    id: string;
    reason: string;
    bytes: number;
    receivedAt: string;
    /** The first bytes of the body as UTF-8 text (it may hold personal data: shown to an authorised caller only). */
    preview: string;
}
