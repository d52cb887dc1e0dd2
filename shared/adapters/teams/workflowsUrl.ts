/**
 * Whether a URL is a Teams Workflows webhook ("Post to a channel when a webhook request is received"): Power Automate
 * gives a URL whose path is `…/workflows/<id>/triggers/manual/paths/invoke` (on `*.logic.azure.com` or
 * `*.environment.api.powerplatform.com`). The Office 365 connector incoming webhooks Microsoft retired
 * (`https://<tenant>.webhook.office.com/webhookb2/…`, earlier `https://outlook.office.com/webhook/…`) are refused with
 * what to do instead.
 */
export function workflowsUrlProblem(url: string): string | undefined {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return 'must be an absolute http(s) URL';
    }
    const host = parsed.hostname.toLowerCase();
    const legacy =
        host.endsWith('.webhook.office.com') ||
        ((host === 'outlook.office.com' || host === 'outlook.office365.com') && parsed.pathname.startsWith('/webhook'));
    if (legacy) {
        return (
            'is an Office 365 connector incoming webhook, which Microsoft has retired: in the channel add the Workflows ' +
            'template "Post to a channel when a webhook request is received" and use its URL'
        );
    }
    if (!/\/workflows\/[^/]+\/triggers\/[^/]+\/paths\/invoke$/iu.test(parsed.pathname)) {
        return 'must be a Teams Workflows webhook URL (…/workflows/<id>/triggers/manual/paths/invoke?…)';
    }
    return undefined;
}
