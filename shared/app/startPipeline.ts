import { z } from 'zod';

import { ValidationError } from '../domain/index';
import { durableNames, instanceIds } from '../names';
import type { Logger } from '../ports/Logger';
import type { OrchestrationStarter } from '../ports/OrchestrationStarter';
import type { PipelineInput, TraceCarrier } from './pipelineTypes';

const leadEventSchema = z.object({
    leadId: z.string().regex(/^[A-Za-z0-9-]{1,100}$/u),
    channel: z.enum(['https', 'table']),
    receivedAt: z.string(),
});

export interface StartPipelineDeps {
    starter: OrchestrationStarter;
    logger: Logger;
}

/**
 * Lead event → `leadPipeline` instance `lead-<leadId>`. An instance that exists in any state is left alone, so a
 * redelivered or replayed message never runs the pipeline twice. An unreadable message throws: the trigger retries
 * it and, after the queue's max delivery count, dead-letters it (then it is parked).
 */
export async function startPipeline(
    deps: StartPipelineDeps,
    body: unknown,
    trace: TraceCarrier,
): Promise<{ leadId: string; started: boolean }> {
    // The worker hands over a JSON body as an object, text as a string, binary as bytes.
    const text = body instanceof Uint8Array ? new TextDecoder().decode(body) : body;
    const parsed = leadEventSchema.safeParse(typeof text === 'string' ? safeJson(text) : text);
    if (!parsed.success) {
        throw new ValidationError(
            'Lead event is not readable',
            parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
    }
    const { leadId, receivedAt } = parsed.data;
    const input: PipelineInput = { leadId, receivedAt, trace };
    const result = await deps.starter.startIfAbsent(durableNames.leadPipeline, instanceIds.leadPipeline(leadId), input);
    deps.logger.info(result === 'started' ? 'Lead pipeline started' : 'Lead pipeline already exists', { leadId });
    return { leadId, started: result === 'started' };
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}
