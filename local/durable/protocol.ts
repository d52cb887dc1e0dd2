/**
 * The wire protocol between the embedded host and durable-functions 3.x (docs/local-durable.md, "The wire protocol"): history
 * event and action numbers, the orchestrator's returned state, and the quirks of its encoding.
 */

export const EventType = {
    ExecutionStarted: 0,
    TaskScheduled: 4,
    TaskCompleted: 5,
    TaskFailed: 6,
    SubOrchestrationInstanceCreated: 7,
    SubOrchestrationInstanceCompleted: 8,
    SubOrchestrationInstanceFailed: 9,
    TimerCreated: 10,
    TimerFired: 11,
    OrchestratorStarted: 12,
    OrchestratorCompleted: 13,
    EventSent: 14,
    EventRaised: 15,
    ContinueAsNew: 16,
    ExecutionSuspended: 19,
    ExecutionResumed: 20,
} as const;

export const EVENT_NAMES: Record<number, string> = Object.fromEntries(
    Object.entries(EventType).map(([name, value]) => [value, name]),
);

export const ActionType = {
    CallActivity: 0,
    CallActivityWithRetry: 1,
    CallSubOrchestrator: 2,
    CallSubOrchestratorWithRetry: 3,
    ContinueAsNew: 4,
    CreateTimer: 5,
    WaitForExternalEvent: 6,
    CallEntity: 7,
    CallHttp: 8,
    SignalEntity: 9,
    WhenAny: 11,
    WhenAll: 12,
    LockEntities: 13,
    ReleaseEntities: 14,
} as const;

/**
 * Schema V3: everything but entity critical sections (`context.df.lock`), which the SDK then refuses with a clear
 * error instead of the host silently mis-numbering lock/release actions.
 */
export const UPPER_SCHEMA_VERSION = 2;

export interface HistoryEvent {
    EventType: number;
    EventId: number;
    Timestamp: string;
    IsPlayed: boolean;
    [field: string]: unknown;
}

export interface FailureDetails {
    ErrorType: string;
    ErrorMessage: string;
    StackTrace?: string;
    IsNonRetriable?: boolean;
}

export interface WireRetryOptions {
    firstRetryIntervalInMilliseconds: number;
    maxNumberOfAttempts: number;
    backoffCoefficient?: number;
    maxRetryIntervalInMilliseconds?: number;
    retryTimeoutInMilliseconds?: number;
}

export interface WireAction {
    actionType: number;
    functionName?: string;
    input?: unknown;
    instanceId?: string;
    retryOptions?: WireRetryOptions;
    /** A `Date` when the SDK's actions are read in process, its ISO string after a JSON round trip. */
    fireAt?: string | Date;
    isCanceled?: boolean;
    operation?: string;
    compoundActions?: WireAction[];
    [field: string]: unknown;
}

export interface OrchestratorState {
    isDone: boolean;
    actions: unknown[];
    output?: unknown;
    error?: string;
    customStatus?: unknown;
    failureDetails?: FailureDetails;
}

const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';

/** An orchestrator that throws embeds its state in the error message (OrchestrationFailureError). */
export function stateFromOrchestratorError(error: unknown): OrchestratorState | undefined {
    for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
        const at = current.message.indexOf(OUT_OF_PROC_LABEL);
        if (at >= 0) return JSON.parse(current.message.slice(at + OUT_OF_PROC_LABEL.length)) as OrchestratorState;
        current = (current as Error & { cause?: unknown }).cause;
    }
    return undefined;
}

/**
 * `actions` is cumulative for the execution and nests compound (Task.all/any) nodes; its leaves, in order, are the
 * order in which the SDK numbered them. A task already yielded alone and again inside Task.any appears twice as the
 * same object, so leaves are de-duplicated by identity.
 */
export function flattenActions(actions: unknown): WireAction[] {
    const seen = new Set<unknown>();
    const out: WireAction[] = [];
    const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (node === null || typeof node !== 'object' || seen.has(node)) return;
        seen.add(node);
        const action = node as WireAction;
        if (Array.isArray(action.compoundActions)) return action.compoundActions.forEach(walk);
        out.push(action);
    };
    walk(actions);
    return out;
}

/** `Utils.processInput` JSON-encodes string inputs of activities and continueAsNew; objects pass unchanged. */
export function decodeProcessedInput(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    try {
        return JSON.parse(value) as unknown;
    } catch {
        return value;
    }
}

export function toJsonText(value: unknown): string {
    return JSON.stringify(value ?? null);
}

/**
 * The failure fields of a TaskFailed / SubOrchestrationInstanceFailed event, as the real extension writes them:
 * `FailureDetails` (read by durable-functions 3.4 and later) and `Reason` + `Details` (all that 3.0-3.3 read; an
 * event without them fails the whole orchestration there with "could not parse its exception data").
 */
export function failedEventFields(failure: FailureDetails): {
    FailureDetails: FailureDetails;
    Reason: string;
    Details: string;
} {
    return { FailureDetails: failure, Reason: failure.ErrorMessage, Details: failure.StackTrace ?? '' };
}

export function failureOf(error: unknown): FailureDetails {
    if (error instanceof Error) {
        return {
            ErrorType: error.name || 'Error',
            ErrorMessage: error.message,
            StackTrace: error.stack,
            IsNonRetriable: false,
        };
    }
    return { ErrorType: 'Error', ErrorMessage: String(error), IsNonRetriable: false };
}
