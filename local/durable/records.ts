import type { FailureDetails, HistoryEvent, WireRetryOptions } from './protocol';

export type RuntimeStatus =
    'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

const TERMINAL = new Set<RuntimeStatus>(['Completed', 'Failed', 'Terminated', 'Canceled']);

export function isTerminal(status: RuntimeStatus): boolean {
    return TERMINAL.has(status);
}

/** Host-side state of one `callActivityWithRetry` / `callSubOrchestratorWithRetry`, mirrored from DTFx. */
export interface RetryState {
    target: 'activity' | 'subOrchestration';
    name: string;
    input: unknown;
    /** Explicit sub-orchestration instance id, reused by every attempt. */
    childId?: string;
    version?: string;
    options: WireRetryOptions;
    attempt: number;
    firstAttemptAt: string;
    lastFailure?: FailureDetails;
    /** Retry timeout passed: remaining attempts fail at once with the last failure, as the SDK still expects them. */
    gaveUp?: boolean;
}

/** Work an instance waits for; its completion event is accepted only while the item exists (de-duplication). */
export type WorkItem =
    | { kind: 'activity'; id: number; name: string; input: unknown }
    | { kind: 'timer'; id: number; fireAt: string }
    | { kind: 'subOrchestration'; id: number; name: string; childId: string; input: unknown; version?: string }
    | { kind: 'entityCall'; id: number; requestId: string; entity: string };

/** A request to an entity (`@name@key`), from an orchestration, a client or another entity. */
export interface EntityRequest {
    id: string;
    entity: string;
    op: string;
    /** JSON text, as the SDK's entity `getInput()` parses it. */
    input?: string;
    signal: boolean;
    parent?: string;
}

export interface InstanceRecord {
    instanceId: string;
    /** Changes on every (re)start and continueAsNew, so late results of an older execution are dropped. */
    executionId: string;
    name: string;
    version?: string;
    runtimeStatus: RuntimeStatus;
    input: unknown;
    output: unknown;
    customStatus: unknown;
    createdTime: string;
    lastUpdatedTime: string;
    failureDetails?: FailureDetails;
    parent?: { instanceId: string; taskId: number };
    parentNotified?: boolean;
    /** Events the orchestrator has seen (replayed on every episode). */
    history: HistoryEvent[];
    /** Events that arrived and wait for the next episode. */
    pending: HistoryEvent[];
    /** Leaves of the cumulative action list already scheduled, and the sequence id each one got (-1: none). */
    actionIds: number[];
    nextEventId: number;
    work: WorkItem[];
    retryByTask: Record<string, RetryState>;
    retryByTimer: Record<string, RetryState>;
    /** Entity requests written with this state and not yet known to be delivered. */
    outbox: EntityRequest[];
}

/** Something an entity owes: a response to an orchestration, or a signal to another entity. */
export type EntityDelivery =
    | { kind: 'response'; instanceId: string; requestId: string; result?: string; exceptionType?: string }
    | { kind: 'signal'; request: EntityRequest };

export interface EntityRecord {
    entity: string;
    name: string;
    key: string;
    exists: boolean;
    /** JSON text of the state, as the SDK's entity `getState()` parses it. */
    state?: string;
    queue: EntityRequest[];
    outbox: EntityDelivery[];
    /** Recently processed request ids, so redelivered requests run once. */
    seen: string[];
    lastUpdatedTime: string;
}

export function entitySchedulerId(name: string, key: string): string {
    return `@${name.toLowerCase()}@${key}`;
}

export function parseSchedulerId(id: string): { name: string; key: string } {
    const at = id.indexOf('@', 1);
    return { name: id.substring(1, at), key: id.substring(at + 1) };
}
