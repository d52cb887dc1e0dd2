import type { HostLogger } from '../contracts';
import type { CoalescingWriter } from './CoalescingWriter';
import type { DurableStore } from './DurableStore';
import type { EntityRequest } from './records';
import type { Semaphore } from './Semaphore';

export interface OrchestrationDeps {
    store: DurableStore;
    writer: CoalescingWriter;
    activities: Semaphore;
    episodes: Semaphore;
    logger: HostLogger;
    now(): Date;
    hasOrchestrator(name: string): boolean;
    /** Runs one episode through the SDK; returns the OrchestratorState or throws what the handler threw. */
    invokeOrchestrator(name: string, binding: unknown, invocationId: string): Promise<unknown>;
    invokeActivity(name: string, input: unknown): Promise<unknown>;
    sendToEntity(request: EntityRequest): Promise<void>;
}

export type StartResult = 'started' | 'conflict' | 'unknownOrchestrator';
