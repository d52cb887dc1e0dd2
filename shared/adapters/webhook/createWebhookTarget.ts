import { ConfigError, type TargetConfig } from '../../domain/index';
import type { DeliveryTarget } from '../../ports/DeliveryTarget';
import type { TargetDeps, TargetFactory } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { errorForStatus } from '../crmKit/classifyStatus';
import { governedCall } from '../crmKit/governedCall';
import { defaultTimeoutMs, httpCall, safeHost } from '../crmKit/httpCall';
import { isHttpUrl } from '../crmKit/isHttpUrl';
import { readTimeout } from '../crmKit/readTimeout';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { idempotencyHeader, signatureHeader, signWebhook } from './signWebhook';

interface WebhookOptions {
    url: string;
    secret: string;
    timeoutMs: number;
}

/**
 * The signed webhook: POSTs `{ leadId, target, attempt, owner?, lead, decision }` as JSON to `options.url` with
 * `X-Lead-Signature` (HMAC-SHA256 over `<timestamp>.<body>`, key `options.secret`) and `Idempotency-Key`.
 * 2xx → delivered; 408/425/429/5xx, timeouts and network errors → TransientError (with Retry-After); any other
 * status → PermanentError. Logs carry the lead id, host and status only.
 */
export const createWebhookTarget: TargetFactory = (name, config, deps) => {
    const options = readOptions(name, config, deps);
    const budget = budgetFor(config);
    const host = safeHost(options.url);
    const target: DeliveryTarget = {
        name,
        type: 'webhook',
        role: config.role,
        async deliver(request) {
            const leadId = request.lead.leadKey;
            const body = JSON.stringify({
                leadId,
                target: name,
                attempt: request.attempt,
                // The pipeline's owner decision: `{ personId, displayName, id? }` (id: the person's id for this target).
                ...(request.owner === undefined ? {} : { owner: request.owner }),
                // The owner's signed one-click link and the SLA's due time (`{ url, expiresAt, dueAt, round }`).
                ...(request.acknowledge === undefined ? {} : { acknowledge: request.acknowledge }),
                lead: request.lead,
                decision: request.decision,
            });
            const response = await governedCall(deps.rateGovernor, name, budget, () =>
                httpCall(
                    deps.fetch,
                    {
                        method: 'POST',
                        url: options.url,
                        headers: {
                            'content-type': 'application/json',
                            [signatureHeader]: signWebhook(options.secret, body, deps.now()),
                            [idempotencyHeader]: request.idempotencyKey,
                            'X-Lead-Id': leadId,
                            'X-Lead-Attempt': String(request.attempt),
                        },
                        body,
                    },
                    options.timeoutMs,
                ),
            );
            deps.logger.info('Webhook answered', { target: name, leadId, host, status: response.status });
            if (response.status >= 200 && response.status < 300) {
                const id = (response.json as { id?: unknown } | undefined)?.id;
                return {
                    action: 'sent',
                    status: response.status,
                    externalId: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined,
                };
            }
            throw errorForStatus(name, response, deps.now());
        },
        checkHealth(now) {
            return Promise.resolve({
                target: name,
                type: 'webhook',
                ok: true,
                message: `posts to ${host}`,
                checkedAt: now.toISOString(),
            });
        },
    };
    return target;
};

function readOptions(name: string, config: TargetConfig, deps: TargetDeps): WebhookOptions {
    const { options, missing } = resolveSettings(config.options, (s) => deps.setting(s));
    const problems: { path: string; message: string }[] = [];
    for (const [key, names] of missing) {
        problems.push({ path: `targets.${name}.options.${key}`, message: `setting ${names.join(', ')} has no value` });
    }
    const url = typeof options.url === 'string' ? options.url : '';
    if (!isHttpUrl(url)) problems.push({ path: `targets.${name}.options.url`, message: 'must be an http(s) URL' });
    const secret = typeof options.secret === 'string' ? options.secret : '';
    if (secret.length < 16) {
        problems.push({ path: `targets.${name}.options.secret`, message: 'must be at least 16 characters' });
    }
    const timeout = readTimeout(options, `targets.${name}.options`, deps.timeoutMs ?? defaultTimeoutMs);
    problems.push(...timeout.problems);
    if (problems.length > 0) throw new ConfigError(problems);
    return { url, secret, timeoutMs: timeout.timeoutMs };
}
