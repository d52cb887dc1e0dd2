/** Application properties of a Service Bus trigger's message (camel-cased trigger metadata, as the worker gives it). */
export function messageProperties(context: { triggerMetadata?: Record<string, unknown> }): Record<string, unknown> {
    const props = context.triggerMetadata?.applicationProperties;
    return typeof props === 'object' && props !== null ? (props as Record<string, unknown>) : {};
}
