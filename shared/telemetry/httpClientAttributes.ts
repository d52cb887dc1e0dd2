import type { Attributes } from '@opentelemetry/api';

/**
 * Span attributes for one outbound CRM call, in the OpenTelemetry HTTP semantic conventions that Application
 * Insights maps to a dependency. Only the method, host and path template go in: query strings and path ids can carry
 * personal data (a contact looked up by email), so the caller passes a template such as `/sobjects/Lead/{id}`.
 */
export function httpClientAttributes(method: string, url: string | URL, pathTemplate: string): Attributes {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return {
        'http.request.method': method.toUpperCase(),
        'server.address': parsed.hostname,
        'url.template': pathTemplate,
    };
}
