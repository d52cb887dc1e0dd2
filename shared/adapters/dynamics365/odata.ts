import type { HttpResponse } from '../crmKit/httpCall';

/** The created or updated row's id: from the body with `Prefer: return=representation`, else `OData-EntityId`. */
export function leadId(response: HttpResponse): string | undefined {
    const fromBody = (response.json as { leadid?: string } | undefined)?.leadid;
    if (fromBody) return fromBody;
    return /\(([0-9a-fA-F-]{36})\)\s*$/.exec(response.headers.get('odata-entityid') ?? '')?.[1];
}

/** An OData string literal: single quotes doubled, then URL-encoded for use in a key segment. */
export function odataString(value: string): string {
    return encodeURIComponent(`'${value.replace(/'/g, "''")}'`);
}

/** A literal for `$filter` (the whole filter is URL-encoded once by the caller). */
export function odataValue(value: unknown): string {
    return typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : String(value);
}
