import { type Message, types } from 'rhea';

import { type ServiceBusBroker } from '../serviceBusBroker';
import { decodeMessage, fromAmqpMessage } from './fromAmqpMessage';

export interface ManagementResponse {
    status: number;
    description: string;
    body?: unknown;
}

/** The `<entity>/$management` operations a sender uses; everything else answers 501 (not emulated). */
export async function handleManagementRequest(
    broker: ServiceBusBroker,
    entity: string,
    request: Message,
): Promise<ManagementResponse> {
    const operation = String((request.application_properties as Record<string, unknown> | undefined)?.operation);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (operation === 'com.microsoft:schedule-message') {
        const entries = (body.messages ?? []) as Array<{ message: Buffer }>;
        const messages = entries.map((entry) => fromAmqpMessage(decodeMessage(Buffer.from(entry.message))));
        const sequenceNumbers = await broker.send(entity, messages);
        return {
            status: 200,
            description: 'OK',
            body: { 'sequence-numbers': types.wrap_array(sequenceNumbers, 0x81, undefined) },
        };
    }
    if (operation === 'com.microsoft:cancel-scheduled-message') {
        const raw = (body['sequence-numbers'] ?? []) as unknown[];
        try {
            await broker.cancelScheduled(entity, raw.map(sequenceNumberOf));
        } catch (error) {
            return { status: 404, description: (error as Error).message };
        }
        return { status: 200, description: 'OK' };
    }
    return { status: 501, description: `${operation} is not emulated by the local Service Bus` };
}

/** Longs beyond 2^53 arrive as 8-byte buffers; ours never are, but decode them anyway. */
function sequenceNumberOf(value: unknown): number {
    if (typeof value === 'number') return value;
    if (Buffer.isBuffer(value)) return Number(value.readBigInt64BE(0));
    throw new Error('sequence number of unexpected type');
}
