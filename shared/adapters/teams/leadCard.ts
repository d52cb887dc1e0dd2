import type { DeliveryRequest } from '../../ports/DeliveryTarget';
import { leadFields } from '../crmKit/leadFields';

type Fact = { title: string; value: string };

/**
 * The Adaptive Card (schema 1.4, the version Teams renders everywhere) telling the channel what came in, why it was
 * routed here and who owns it, with a button to each CRM record the lead already has. Contact details appear only
 * when the target is configured to show them; the owner's name is not a contact detail of the lead.
 */
export function leadCard(
    request: DeliveryRequest,
    includeContact: boolean,
    links: readonly { title: string; url: string }[] = [],
): object {
    const { lead, decision } = request;
    const view = leadFields(lead, decision, request.owner);
    const routed = decision.route.targets.find((t) => t.target === request.target);
    const ruleText = (routed?.matchedRules ?? []).map((id) => {
        const hit = decision.route.matchedRules.find((r) => r.ruleId === id);
        return hit ? `${id} (${hit.description})` : id;
    });
    const facts: Fact[] = [];
    const add = (title: string, value: string | number | boolean | undefined) => {
        if (value !== undefined && value !== '') facts.push({ title, value: String(value) });
    };
    add('Offer', view.offer);
    add('Action', view.action);
    add('Company', view.company);
    add('Score', view.score);
    add('Grade', view.grade);
    add('Qualification', decision.qualification.outcome);
    add('Owner', view.ownerName);
    add('Acknowledge by', request.acknowledge?.dueAt);
    add('Routed by', ruleText.join('; ') || (decision.route.usedDefault ? 'default route' : undefined));
    add('Campaign', view.campaign);
    if (includeContact) {
        add('Name', view.fullName);
        add('Title', view.title);
        add('Email', view.email);
        add('Phone', view.phone);
        add('Country', view.country);
    }
    add('Lead key', lead.leadKey);
    const dnc = lead.action.meaning === 'do-not-contact';
    return {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
            {
                type: 'TextBlock',
                size: 'Medium',
                weight: 'Bolder',
                wrap: true,
                text: `Marketplace lead: grade ${view.grade} (${view.score} points)`,
            },
            ...(dnc
                ? [{ type: 'TextBlock', wrap: true, color: 'Attention', text: 'Do not contact: for information only.' }]
                : []),
            { type: 'FactSet', facts },
        ],
        ...(links.length > 0 || request.acknowledge !== undefined
            ? {
                  actions: [
                      // The owner's one-click acknowledgement first: it stops the SLA timer.
                      ...(request.acknowledge === undefined
                          ? []
                          : [{ type: 'Action.OpenUrl', title: 'Acknowledge', url: request.acknowledge.url }]),
                      ...links.map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url })),
                  ],
              }
            : {}),
        msteams: { width: 'Full' },
    };
}
