import { odata, type TableClient } from '@azure/data-tables';

import type { JourneyStep, Lead } from '../../domain/index';
import { compact, str } from './leadEntities';

/** The row of one lead in its journey's partition. */
export const journeyRowKey = (receivedAt: string, leadId: string): string => `${receivedAt}_${leadId}`;

/** `Journeys`: PartitionKey = person key (email + offer), RowKey = receivedAt + lead id, so a partition is a journey. */
export async function writeJourneyStep(client: TableClient, leadId: string, lead: Lead): Promise<void> {
    if (lead.personKey === undefined) return;
    await client.upsertEntity(
        compact({
            partitionKey: lead.personKey,
            rowKey: journeyRowKey(lead.receivedAt, leadId),
            leadId,
            actionCode: lead.action.code,
            actionMeaning: lead.action.meaning,
            channel: lead.channel,
            receivedAt: lead.receivedAt,
        }),
        'Replace',
    );
}

export async function readJourney(client: TableClient, personKey: string): Promise<JourneyStep[]> {
    const steps: JourneyStep[] = [];
    for await (const e of client.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${personKey}` },
    })) {
        steps.push({
            leadId: String(e.leadId),
            receivedAt: String(e.receivedAt),
            channel: String(e.channel),
            actionCode: str(e.actionCode),
            actionMeaning: String(e.actionMeaning),
        });
    }
    return steps;
}
