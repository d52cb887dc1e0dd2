import type { ParkedLead } from './ParkedLeadStore';

/** A stored body that was not a JSON object, as an export shows it. */
export interface InvalidPayloadCopy {
    id: string;
    receivedAt: string;
    reason: string;
    /** The body as UTF-8 text. */
    text: string;
}

/**
 * The intake's and the starter's leftovers that may hold personal data: invalid payloads (any body that was not a
 * JSON object, kept so nothing the marketplace sends is lost) and parked lead events.
 */
export interface PayloadEraser {
    /** One page of the invalid payloads: those that contain an address with `emailKey`. */
    invalidPayloadsWith(
        emailKey: string,
        continuationToken?: string,
    ): Promise<{ items: InvalidPayloadCopy[]; continuationToken?: string }>;
    deleteInvalidPayloads(ids: readonly string[]): Promise<number>;
    /** Parked events of these leads (by message id or body), and any that contain an address with `emailKey`. */
    parkedFor(leadIds: readonly string[], emailKey?: string): Promise<ParkedLead[]>;
    deleteParked(ids: readonly string[]): Promise<number>;
    /** Retention: deletes up to `limit` invalid payloads received before `cutoff`; resolves how many. */
    removeInvalidPayloadsBefore(cutoff: Date, limit: number): Promise<number>;
    /** Retention: deletes up to `limit` parked events parked before `cutoff`; resolves how many. */
    removeParkedBefore(cutoff: Date, limit: number): Promise<number>;
}
