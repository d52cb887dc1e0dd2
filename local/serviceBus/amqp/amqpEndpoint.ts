import { type AddressInfo, type Server, type Socket } from 'node:net';

import { type Connection, type Container, create_container, type EventContext, type Receiver } from 'rhea';

import { type HostLogger } from '../../contracts';
import { type ServiceBusBroker } from '../serviceBusBroker';
import { messagesOfTransfer } from './fromAmqpMessage';
import { handleManagementRequest, type ManagementResponse } from './managementRequest';

/** What the SDK learns from our attach: Service Bus Standard's 256 KB, so `createMessageBatch` sizes batches alike. */
const maxMessageSize = 256 * 1024;
const managementSuffix = '/$management';

/**
 * The AMQP 1.0 subset an `@azure/service-bus` sender needs (plain TCP, as with `UseDevelopmentEmulator=true`):
 * SASL ANONYMOUS/PLAIN, `$cbs` put-token, sender links to queues and topics (single messages and batches), and
 * `<entity>/$management` schedule/cancel. A delivery is accepted only once its messages are stored.
 */
export class AmqpEndpoint {
    private readonly container: Container;
    private server: Server | undefined;
    private readonly sockets = new Set<Socket>();
    private readonly linkQueues = new WeakMap<Receiver, Promise<void>>();

    constructor(
        private readonly broker: ServiceBusBroker,
        private readonly logger: HostLogger,
    ) {
        this.container = create_container({ id: 'local-servicebus', autoaccept: false });
        const mechanisms = this.container.sasl_server_mechanisms as {
            enable_anonymous(): void;
            enable_plain(check: () => boolean): void;
        };
        // The emulator connection string carries a dummy key; any credential is welcome, as in the emulator.
        mechanisms.enable_anonymous();
        mechanisms.enable_plain(() => true);
        this.container.on('receiver_open', (context: EventContext) => {
            const receiver = context.receiver!;
            (receiver as unknown as { local: { attach: Record<string, unknown> } }).local.attach.max_message_size =
                maxMessageSize;
        });
        this.container.on('sender_open', (context: EventContext) => {
            const source = String((context.sender!.source as { address?: string } | undefined)?.address ?? '');
            // Reply links of `$cbs` and `$management` are fine; receiving from entities is the triggers' job.
            if (source !== '$cbs' && !source.endsWith(managementSuffix)) {
                context.sender!.close({
                    condition: 'amqp:not-implemented',
                    description:
                        'The local Service Bus stand-in serves senders only; functions receive through triggers.',
                });
            }
        });
        this.container.on('message', (context: EventContext) => this.onMessage(context));
        this.container.on('disconnected', () => undefined);
        this.container.on('error', (error: unknown) =>
            this.logger.warn('serviceBus AMQP error', { error: String(error) }),
        );
    }

    async listen(port: number): Promise<number> {
        const server = this.container.listen({
            port,
            host: '127.0.0.1',
            // Without it, Nagle's algorithm and delayed ACKs cost ~40 ms per request/response on loopback.
            tcp_no_delay: true,
        } as Parameters<Container['listen']>[0]);
        this.server = server;
        server.on('connection', (socket: Socket) => {
            this.sockets.add(socket);
            socket.once('close', () => this.sockets.delete(socket));
        });
        await new Promise<void>((resolve, reject) => {
            server.once('listening', resolve);
            server.once('error', reject);
        });
        return (server.address() as AddressInfo).port;
    }

    async close(): Promise<void> {
        const server = this.server;
        if (!server) return;
        this.server = undefined;
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    private onMessage(context: EventContext): void {
        const receiver = context.receiver!;
        const address = String((receiver.target as { address?: string } | undefined)?.address ?? '');
        const previous = this.linkQueues.get(receiver) ?? Promise.resolve();
        // One link's deliveries are stored in the order they arrived.
        const next = previous.then(() => this.handle(context, address));
        this.linkQueues.set(receiver, next);
    }

    private async handle(context: EventContext, address: string): Promise<void> {
        const delivery = context.delivery!;
        const message = context.message!;
        if (address === '$cbs') {
            this.reply(context.connection, message, { status: 200, description: 'OK' });
            delivery.accept();
            return;
        }
        if (address.endsWith(managementSuffix)) {
            delivery.accept();
            const entity = address.slice(0, -managementSuffix.length);
            const response = await handleManagementRequest(this.broker, entity, message).catch(
                (error: unknown): ManagementResponse => ({ status: 500, description: (error as Error).message }),
            );
            this.reply(context.connection, message, response);
            return;
        }
        try {
            const format = (context as { format?: number }).format ?? delivery.format;
            await this.broker.send(address, messagesOfTransfer(message, format));
            delivery.accept();
        } catch (error) {
            this.logger.warn('serviceBus AMQP send rejected', { entity: address, error: (error as Error).message });
            delivery.reject({ condition: 'amqp:internal-error', description: (error as Error).message });
        }
    }

    /** Answers on the link named (or targeted) by the request's reply-to, as the SDK's request/response links expect. */
    private reply(
        connection: Connection,
        request: { message_id?: string | number | Buffer; reply_to?: string },
        response: ManagementResponse,
    ): void {
        const sender = connection.find_sender(
            (s: { name?: string; target?: { address?: string } }) =>
                s.name === request.reply_to || s.target?.address === request.reply_to,
        );
        if (!sender) return;
        sender.send({
            to: request.reply_to,
            correlation_id: request.message_id,
            application_properties: { 'status-code': response.status, 'status-description': response.description },
            body: response.body,
        });
    }
}
