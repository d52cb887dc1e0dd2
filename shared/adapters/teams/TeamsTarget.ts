import type { TargetRole } from '../../domain/index';
import type { DeliveryRequest, DeliveryResult, DeliveryTarget, TargetHealth } from '../../ports/DeliveryTarget';
import type { Logger } from '../../ports/Logger';
import { errorForStatus } from '../crmKit/classifyStatus';
import type { TargetHttp } from '../crmKit/TargetHttp';
import { leadCard } from './leadCard';

export interface TeamsSettings {
    webhookUrl: string;
    includeContact: boolean;
    /** Target name → URL template with `{id}`: the card links to the record that target wrote for this lead. */
    recordLinks: Readonly<Record<string, string>>;
}

/**
 * Posts an Adaptive Card to a Teams Workflows webhook (Power Automate "When a Teams webhook request is received").
 * Workflows answers 202 when it has accepted the request: the flow posts the card afterwards, and a failing flow
 * shows only in its run history. Teams cannot de-duplicate posts: the orchestration stores the outcome after success
 * and never re-posts, but a retry after a lost answer can show the card twice.
 */
export class TeamsTarget implements DeliveryTarget {
    readonly type = 'teams' as const;

    constructor(
        readonly name: string,
        readonly role: TargetRole,
        private readonly settings: TeamsSettings,
        private readonly http: TargetHttp,
        private readonly logger: Logger,
        private readonly now: () => Date,
    ) {}

    async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
        const links = (request.related ?? []).flatMap((r) => {
            const template = this.settings.recordLinks[r.target];
            return template === undefined
                ? []
                : [{ title: `Open in ${r.target}`, url: template.replace('{id}', encodeURIComponent(r.externalId)) }];
        });
        const response = await this.http.send({
            method: 'POST',
            url: this.settings.webhookUrl,
            body: {
                type: 'message',
                attachments: [
                    {
                        contentType: 'application/vnd.microsoft.card.adaptive',
                        contentUrl: null,
                        content: leadCard(request, this.settings.includeContact, links),
                    },
                ],
            },
        });
        const { status } = response;
        if (status < 200 || status >= 300) throw errorForStatus(this.name, response, this.now());
        this.logger.info('teams card posted', { target: this.name, leadKey: request.lead.leadKey, status });
        return {
            action: 'sent',
            status,
            note:
                status === 202
                    ? 'accepted by the workflow (202): it posts the card afterwards; a failing run shows in its run history'
                    : undefined,
        };
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
