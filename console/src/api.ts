/**
 * The console's only way to the data: the operations API of the same app. Every request is same-origin, so the
 * browser sends `Origin` and `Sec-Fetch-Site: same-origin` and the API's cross-site check lets state changes
 * through. With a function key (local host, or an app without Entra ID) the key is sent as a header, never in a URL.
 */
const KEY_STORAGE = 'console.functionKey';

export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        readonly body: Record<string, unknown> = {},
    ) {
        super(message);
    }
}

export function functionKey(): string | undefined {
    return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
}

export function setFunctionKey(key: string | undefined): void {
    if (key === undefined || key === '') sessionStorage.removeItem(KEY_STORAGE);
    else sessionStorage.setItem(KEY_STORAGE, key);
}

/** `#key=…` in the address (what `npm start` prints): kept for this tab, then removed from the address. */
export function takeKeyFromAddress(): boolean {
    const match = /^#key=([^&/]+)/u.exec(location.hash);
    if (match?.[1] === undefined) return false;
    setFunctionKey(decodeURIComponent(match[1]));
    history.replaceState(null, '', `${location.pathname}#/`);
    return true;
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const key = functionKey();
    if (key !== undefined) headers['x-functions-key'] = key;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`/api/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
        json = text === '' ? undefined : JSON.parse(text);
    } catch {
        json = undefined;
    }
    if (!res.ok) {
        const envelope = (json ?? {}) as { error?: unknown } & Record<string, unknown>;
        const error = envelope.error;
        const { code, message } =
            typeof error === 'object' && error !== null
                ? (error as { code?: string; message?: string })
                : { code: undefined, message: typeof error === 'string' ? error : undefined };
        throw new ApiError(res.status, code ?? `http-${res.status}`, message ?? res.statusText, envelope);
    }
    return json as T;
}

export const api = {
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
};

export interface Caller {
    mode: 'function-key' | 'entra';
    roles: ('read' | 'operate')[];
    name?: string;
}

export interface ListedDelivery {
    target: string;
    status: string;
    attempts: number;
}

export interface ListedLead {
    leadId: string;
    status: string;
    receivedAt: string;
    channel: string;
    grade?: string;
    name?: string;
    company?: string;
    offer?: string;
    actionCode?: string;
    action?: string;
    source?: string;
    outcome?: string;
    points?: number;
    completedAt?: string;
    timeToDeliveryMs?: number;
    deliveries?: ListedDelivery[];
}

export interface LeadPage {
    items: ListedLead[];
    continuationToken?: string;
}

export interface RuleHit {
    ruleId: string;
    description: string;
}

export interface Delivery {
    target: string;
    role: string;
    status: string;
    attempts: number;
    externalId?: string;
    recordUrl?: string;
    lastError?: string;
    lastHttpStatus?: number;
    skippedReason?: string;
    stalledReason?: string;
    updatedAt: string;
    deliveredAt?: string;
}

export interface LeadDetails {
    leadId: string;
    status: string;
    receivedAt: string;
    completedAt?: string;
    channel: string;
    configVersion?: string;
    decidedAt?: string;
    qualification: { outcome: string; reasons: RuleHit[] } | null;
    score: { points: number; grade: string; breakdown: (RuleHit & { points: number })[] } | null;
    route: {
        mode: string;
        matchedRules: RuleHit[];
        usedDefault: boolean;
        targets: { target: string; role: string; matchedRules: string[]; skippedReason?: string }[];
    } | null;
    deliveries: Delivery[];
    source: { raw?: string; kind: string; offerRef?: string };
    action: { code?: string; meaning: string };
    offer: { title?: string; offerId?: string; publisherId?: string; productId?: string };
    contact: {
        firstName?: string;
        lastName?: string;
        email?: string;
        emailDomainClass: string;
        phone?: string;
        phoneE164?: string;
        country?: string;
        countryCode?: string;
        company?: string;
        title?: string;
    };
    message?: string;
    description?: string;
    campaign?: { mktcmpid?: string; params: Record<string, string> };
    flags: { isTest: boolean; missingContact: boolean; isEducation: boolean };
    journey: { leadId: string; receivedAt: string; channel: string; actionCode?: string; actionMeaning: string }[];
    history: { at: string; kind: string; detail?: Record<string, string | number | boolean> }[];
    /** Filled by owner assignment and SLAs when they exist. */
    owner?: { name?: string; assignedAt?: string };
    sla?: { dueAt?: string; state?: string };
}

export interface ParkedLead {
    id: string;
    messageId: string;
    reason: string;
    description?: string;
    deliveryCount?: number;
    parkedAt: string;
    replayCount: number;
    replayedAt?: string;
}

export interface TargetHealth {
    target: string;
    type: string;
    state: 'healthy' | 'unhealthy' | 'off';
    message?: string;
    credentialExpiresAt?: string;
}

export interface Problems {
    needsAttention: boolean;
    counts: Record<
        'parked' | 'invalidPayloads' | 'stalled' | 'failed' | 'unhealthyTargets' | 'expiringCredentials' | 'unattended',
        number
    >;
    parked: ParkedLead[];
    invalidPayloads: { id: string; reason: string; bytes: number; receivedAt: string; preview: string }[];
    stalled: ListedLead[];
    failed: ListedLead[];
    unhealthyTargets: TargetHealth[];
    expiringCredentials: TargetHealth[];
    /** Leads nobody acknowledged in time, past every escalation (owner assignment). */
    unattended?: { leadId: string; queue: string; personId?: string; since: string; breaches: number }[];
    checkedAt: string;
}

export interface Overview {
    from: string;
    to: string;
    total: number;
    partial: boolean;
    days: { day: string; total: number; bySource: Record<string, number>; byAction: Record<string, number> }[];
    grades: Record<string, number>;
    outcomes: Record<string, number>;
    statuses: Record<string, number>;
    targets: Record<string, Record<string, number>>;
    timeToCrm: { buckets: { upToMs: number | null; count: number }[]; p50Ms?: number; p90Ms?: number };
    offers: { offer: string; count: number }[];
}

export interface Rules {
    version: string;
    pipeline: Record<string, unknown> & {
        version: string;
        description?: string;
        qualification: { rules: { id: string; description: string; outcome: string; when: unknown }[] };
        scoring: {
            rules: { id: string; description: string; points: number; when: unknown }[];
            grades: { grade: string; minPoints: number }[];
            defaultGrade?: string;
        };
        routing: {
            mode: string;
            rules: { id: string; description: string; targets: string[]; when: unknown }[];
            default: { targets: string[] };
        };
        targets: Record<string, { type: string; role: string; enabled: boolean | 'auto' }>;
    };
    targets: Record<string, { enabled: boolean; reason?: string }>;
}

export interface Gist {
    grade: string;
    points: number;
    outcome: string;
    targets: string[];
}

export interface WhatIf {
    activeVersion: string;
    proposedVersion: string;
    evaluated: number;
    changed: number;
    byChange: Record<'grade' | 'points' | 'outcome' | 'targets', number>;
    leads: {
        leadId: string;
        receivedAt: string;
        name?: string;
        company?: string;
        current: Gist;
        proposed: Gist;
        changes: string[];
    }[];
}
