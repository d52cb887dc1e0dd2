import type { TargetRole } from '../../domain/index';
import type { DeliveryRequest, DeliveryResult, DeliveryTarget, TargetHealth } from '../../ports/DeliveryTarget';
import type { Logger } from '../../ports/Logger';
import { errorForStatus } from '../crmKit/classifyStatus';
import type { TargetHttp } from '../crmKit/TargetHttp';
import { leadCard } from './leadCard';

/**
 * Posts an Adaptive Card to a Teams Workflows (Power Automate "When a Teams webhook request is received") or
 * incoming-webhook URL. Teams cannot de-duplicate posts: the orchestration stores the outcome after success and
 * never re-posts, but a retry after a lost answer can show the card twice.
 */
export class TeamsTarget implements DeliveryTarget {
    readonly type = 'teams' as const;

    constructor(
        readonly name: string,
        readonly role: TargetRole,
        private readonly settings: { webhookUrl: string; includeContact: boolean },
        private readonly http: TargetHttp,
        private readonly logger: Logger,
        private readonly now: () => Date,
    ) {}

    async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
        const response = await this.http.send({
            method: 'POST',
            url: this.settings.webhookUrl,
            body: {
                type: 'message',
                attachments: [
                    {
                        contentType: 'application/vnd.microsoft.card.adaptive',
                        contentUrl: null,
                        content: leadCard(request, this.settings.includeContact),
                    },
                ],
            },
        });
        // Legacy connectors answer 200 with the downstream failure in the text ("…returned HTTP error 429…").
        const embedded = /HTTP error (\d{3})/.exec(response.text)?.[1];
        const status = response.status < 300 && embedded ? Number(embedded) : response.status;
        if (status < 200 || status >= 300)
            throw errorForStatus(this.name, { status, headers: response.headers }, this.now());
        this.logger.info('teams card posted', { target: this.name, leadKey: request.lead.leadKey, status });
        return { action: 'sent', status };
    }

    checkHealth(now: Date): Promise<TargetHealth> {
        // A webhook URL is its own credential and has no read-only endpoint: any call would post a message.
        return Promise.resolve({
            target: this.name,
            type: this.type,
            ok: true,
            message: 'webhook URL configured; not called (a check would post a message)',
            checkedAt: now.toISOString(),
        });
    }
}
