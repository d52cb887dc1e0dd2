/** The message that asks the pipeline to process a stored lead. Personal data stays in storage, not on the queue. */
export interface LeadEvent {
    leadId: string;
    channel: 'https' | 'table';
    receivedAt: string;
}

export interface PublishOptions {
    /** Service Bus message id; the queue's duplicate detection drops a second message with the same id. */
    messageId: string;
    /** Application properties: correlation ids and W3C trace context (no personal data). */
    properties: Record<string, string | number | boolean>;
}

/** Sends lead events to the lead-events queue. Rejects when the queue cannot be reached. */
export interface LeadPublisher {
    publish(body: unknown, options: PublishOptions): Promise<void>;
}
