import type { LeadRepository, LeadSummary } from '../ports/LeadRepository';

export interface LeadsOverviewDeps {
    leads: LeadRepository;
    now(): Date;
}

/** Upper bounds (ms) of the time-to-CRM buckets; the last bucket holds everything slower. */
export const timeToCrmBuckets = [10_000, 60_000, 300_000, 3_600_000, 86_400_000] as const;

export interface LeadsOverview {
    from: string;
    to: string;
    /** Leads counted; `partial` when the walk stopped at its bound before the oldest day. */
    total: number;
    partial: boolean;
    /** One entry per UTC day, oldest first, with every day of the range present. */
    days: { day: string; total: number; bySource: Record<string, number>; byAction: Record<string, number> }[];
    grades: Record<string, number>;
    outcomes: Record<string, number>;
    statuses: Record<string, number>;
    /** Per target: how its deliveries of these leads ended. */
    targets: Record<string, Record<string, number>>;
    /** From callback to the final outcome, for leads that reached a target. */
    timeToCrm: { buckets: { upToMs: number | null; count: number }[]; p50Ms?: number; p90Ms?: number };
    /** Offers seen, most leads first (the list's offer filter offers these). */
    offers: { offer: string; count: number }[];
}

/** Rows read at most for one overview (a year of a busy publisher's leads is far fewer). */
const MAX_ROWS = 50_000;
const MAX_MS = 20_000;
const DAY_MS = 86_400_000;

const bump = (counts: Record<string, number>, key: string | undefined) => {
    const k = key ?? 'unknown';
    counts[k] = (counts[k] ?? 0) + 1;
};

const reachedATarget = new Set(['delivered', 'partially-delivered']);

function percentile(sorted: number[], p: number): number | undefined {
    if (sorted.length === 0) return undefined;
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The overview of `rows` (index rows of leads received in [from, to)), pure. */
export function overviewOf(rows: readonly LeadSummary[], from: Date, to: Date, partial = false): LeadsOverview {
    const days = new Map<string, LeadsOverview['days'][number]>();
    for (
        let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
        t < to.getTime();
        t += DAY_MS
    ) {
        const day = new Date(t).toISOString().slice(0, 10);
        days.set(day, { day, total: 0, bySource: {}, byAction: {} });
    }
    const grades: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    const statuses: Record<string, number> = {};
    const targets: Record<string, Record<string, number>> = {};
    const offers: Record<string, number> = {};
    const latencies: number[] = [];
    for (const row of rows) {
        const day = days.get(row.receivedAt.slice(0, 10));
        if (day !== undefined) {
            day.total += 1;
            bump(day.bySource, row.source);
            bump(day.byAction, row.action);
        }
        if (row.grade !== undefined) bump(grades, row.grade);
        if (row.outcome !== undefined) bump(outcomes, row.outcome);
        bump(statuses, row.status);
        if (row.offer !== undefined) bump(offers, row.offer);
        for (const d of row.deliveries ?? []) bump((targets[d.target] ??= {}), d.status);
        if (reachedATarget.has(row.status) && row.completedAt !== undefined) {
            const ms = Date.parse(row.completedAt) - Date.parse(row.receivedAt);
            if (Number.isFinite(ms) && ms >= 0) latencies.push(ms);
        }
    }
    latencies.sort((a, b) => a - b);
    const buckets = [...timeToCrmBuckets, null].map((upToMs) => ({ upToMs, count: 0 }));
    for (const ms of latencies) {
        const i = timeToCrmBuckets.findIndex((limit) => ms <= limit);
        buckets[i < 0 ? buckets.length - 1 : i]!.count += 1;
    }
    return {
        from: from.toISOString(),
        to: to.toISOString(),
        total: rows.length,
        partial,
        days: [...days.values()],
        grades,
        outcomes,
        statuses,
        targets,
        timeToCrm: { buckets, p50Ms: percentile(latencies, 50), p90Ms: percentile(latencies, 90) },
        offers: Object.entries(offers)
            .map(([offer, count]) => ({ offer, count }))
            .sort((a, b) => b.count - a.count || a.offer.localeCompare(b.offer)),
    };
}

/**
 * The last `days` days of leads in figures, from the time index only (no lead partition is read): at most
 * {@link MAX_ROWS} rows and {@link MAX_MS} of reading, past which the overview says it is partial.
 */
export async function leadsOverview(
    deps: LeadsOverviewDeps,
    days: number,
    clock: () => number = Date.now,
): Promise<LeadsOverview> {
    const to = deps.now();
    const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate() - days + 1));
    const rows: LeadSummary[] = [];
    const started = clock();
    let token: string | undefined;
    let partial = false;
    do {
        const page = await deps.leads.list({ since: from, limit: 1000, continuationToken: token });
        rows.push(...page.items);
        token = page.continuationToken;
        if (token !== undefined && (rows.length >= MAX_ROWS || clock() - started > MAX_MS)) partial = true;
    } while (token !== undefined && !partial);
    return overviewOf(rows, from, to, partial);
}
