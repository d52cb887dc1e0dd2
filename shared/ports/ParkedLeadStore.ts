/** A lead event the starter could not process after every retry (the dead-letter queue), kept for an operator. */
export interface ParkedLead {
    id: string;
    messageId: string;
    reason: string;
    description?: string;
    deliveryCount?: number;
    /** The message body as JSON text (lead events hold ids only). */
    body: string;
    properties: Record<string, string | number | boolean>;
    parkedAt: string;
    replayedAt?: string;
    replayCount: number;
    /** Set on a parked message that was itself a replay. */
    replayOf?: string;
}

export interface ParkedLeadStore {
    /** Idempotent by `id`. */
    park(lead: ParkedLead): Promise<void>;
    get(id: string): Promise<ParkedLead | undefined>;
    list(limit: number, continuationToken?: string): Promise<{ items: ParkedLead[]; continuationToken?: string }>;
    markReplayed(id: string, at: Date): Promise<ParkedLead>;
}
