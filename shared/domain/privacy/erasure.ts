/**
 * A person's erasure as the audit keeps it: ids and counts only. What is asked (the email's keys, an offer) is kept
 * only while the erasure runs; the report that stays names leads, CRM records and numbers, never the person.
 */
import type { Lead } from '../Lead';
import type { TargetConfig } from '../TargetConfig';
import { normaliseForMatch } from '../text';
import { erasableTargetTypes } from './privacyPolicy';

/** `failed`: the erasure stopped on an error its retries did not overcome; asking again is safe. */
export const erasureStatuses = ['running', 'completed', 'completed-with-errors', 'failed'] as const;
export type ErasureStatus = (typeof erasureStatuses)[number];

/** What an erasure is asked to find, as the pipeline keeps it while it runs. */
export interface ErasureQuery {
    /** Lookup key of the email (`emailKeyOf`); absent when only lead ids were given. */
    emailKey?: string;
    /** Keyed hash of the email, written into the tombstones. */
    emailHash?: string;
    /** Only leads of this offer (normalised title, offer id or `publisher.offer`). */
    offer?: string;
    /** Leads named explicitly (leads without an email, such as `.edu` leads, are found this way). */
    leadIds: string[];
    /** Also delete the person's rows of the marketplace's own `MarketplaceLeads` table. */
    marketplaceTable: boolean;
}

/** A record the pipeline created (or updated) in a target, by the id the target answered. */
export interface CrmRecordRef {
    target: string;
    recordId: string;
    leadId: string;
}

/**
 * One target's part of an erasure. `erase`: its records were deleted (or are being); `not-enabled`: the target is
 * not listed in `privacy.eraseInTargets`, so its records stay (`remaining`) for the publisher to delete there;
 * `not-supported`: a notification target, whose messages cannot be recalled; `not-configured`: listed, but its
 * settings are missing now.
 */
export interface TargetErasure {
    target: string;
    type?: string;
    mode: 'erase' | 'not-enabled' | 'not-supported' | 'not-configured';
    erased: string[];
    /** Already gone from the target (deleted there, or never kept). */
    absent: string[];
    failed: { recordId: string; error: string; httpStatus?: number; attempts: number }[];
    /** Records left in the target: ids for whoever erases them there by hand. */
    remaining: string[];
}

export interface ErasureCounts {
    /** Leads erased by this request. */
    leads: number;
    /** Leads of the person found already erased (a repeated request). */
    alreadyErased: number;
    /** Rows deleted from the lead partitions (lead, raw body, deliveries, history). */
    leadRows: number;
    rawBlobs: number;
    indexRows: number;
    journeyRows: number;
    parkedEvents: number;
    invalidPayloads: number;
    marketplaceRows: number;
    durableInstances: number;
}

export const emptyCounts = (): ErasureCounts => ({
    leads: 0,
    alreadyErased: 0,
    leadRows: 0,
    rawBlobs: 0,
    indexRows: 0,
    journeyRows: 0,
    parkedEvents: 0,
    invalidPayloads: 0,
    marketplaceRows: 0,
    durableInstances: 0,
});

export function addCounts(a: ErasureCounts, b: Partial<ErasureCounts>): ErasureCounts {
    const out = { ...a };
    for (const key of Object.keys(out) as (keyof ErasureCounts)[]) out[key] += b[key] ?? 0;
    return out;
}

/** The marketplace's own table: what happened to the person's rows there. */
export interface MarketplaceTableErasure {
    status: 'erased' | 'not-requested' | 'not-configured' | 'no-write-access' | 'failed';
    rows: number;
    error?: string;
}

export interface ErasureReport {
    erasureId: string;
    status: ErasureStatus;
    /** Where a running erasure is. */
    stage: 'finding' | 'erasing' | 'targets' | 'sweeping' | 'done';
    requestedAt: string;
    completedAt?: string;
    scope: { email: boolean; offer: boolean; leadIds: number; marketplaceTable: boolean };
    /** The leads this request erased (ids of tombstones now). */
    leadIds: string[];
    counts: ErasureCounts;
    targets: TargetErasure[];
    marketplaceTable: MarketplaceTableErasure;
    /** How many times the target part was retried (`POST …/retry`). */
    retries?: number;
}

/** What decides each target's part of an erasure, taken from the configuration when the erasure is asked for. */
export interface TargetErasurePolicy {
    /** Every configured target's type. */
    types: Readonly<Record<string, string>>;
    /** `privacy.eraseInTargets`. */
    eraseInTargets: readonly string[];
    /** Targets whose settings are in place. */
    enabled: readonly string[];
}

/** The policy of a configuration's targets. */
export function targetErasurePolicyOf(
    targets: Readonly<Record<string, Pick<TargetConfig, 'type'>>>,
    eraseInTargets: readonly string[],
    enabled: Iterable<string>,
): TargetErasurePolicy {
    const types = Object.fromEntries(Object.entries(targets).map(([name, t]) => [name, t.type]));
    return { types, eraseInTargets: [...eraseInTargets], enabled: [...enabled].sort() };
}

/**
 * Which targets erase which records: the person's records grouped by target, each target's mode from the policy.
 * A target listed for erasure that received nothing still shows, with nothing to do, so the report answers for
 * every target it was asked about.
 */
export function planTargetErasures(records: readonly CrmRecordRef[], policy: TargetErasurePolicy): TargetErasure[] {
    const byTarget = new Map<string, Set<string>>();
    for (const name of policy.eraseInTargets) byTarget.set(name, new Set());
    for (const r of records) {
        const ids = byTarget.get(r.target) ?? new Set<string>();
        ids.add(r.recordId);
        byTarget.set(r.target, ids);
    }
    return [...byTarget.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([target, ids]) => {
            const type = policy.types[target];
            const recordIds = [...ids].sort();
            const mode: TargetErasure['mode'] =
                type === undefined || !erasableTargetTypes.has(type)
                    ? 'not-supported'
                    : !policy.eraseInTargets.includes(target)
                      ? 'not-enabled'
                      : policy.enabled.includes(target)
                        ? 'erase'
                        : 'not-configured';
            return {
                target,
                ...(type === undefined ? {} : { type }),
                mode,
                erased: [],
                absent: [],
                failed: [],
                remaining: mode === 'erase' ? [] : recordIds,
            };
        });
}

/** The ids a target of the plan is to delete. */
export function recordIdsToErase(plan: TargetErasure, records: readonly CrmRecordRef[]): string[] {
    if (plan.mode !== 'erase') return [];
    return [...new Set(records.filter((r) => r.target === plan.target).map((r) => r.recordId))].sort();
}

/** Completed with errors when a record could not be deleted or the marketplace table could not be changed. */
export function erasureStatusOf(report: Pick<ErasureReport, 'targets' | 'marketplaceTable'>): ErasureStatus {
    const failed =
        report.targets.some((t) => t.failed.length > 0 || t.mode === 'not-configured') ||
        report.marketplaceTable.status === 'failed' ||
        report.marketplaceTable.status === 'no-write-access';
    return failed ? 'completed-with-errors' : 'completed';
}

/** Whether the lead is of `offer`: its title, its offer id, `publisher.offer` or the product id, compared normalised. */
export function leadMatchesOffer(lead: Pick<Lead, 'offer' | 'source'>, offer: string): boolean {
    const wanted = normaliseForMatch(offer);
    if (wanted === '') return false;
    const { title, offerId, publisherId, productId } = lead.offer;
    const names = [title, offerId, productId, lead.source.offerRef];
    if (publisherId !== undefined && offerId !== undefined) names.push(`${publisherId}.${offerId}`);
    return names.some((name) => name !== undefined && normaliseForMatch(name) === wanted);
}

/** What one target's erasure run ended with. */
export interface TargetErasureOutcome {
    target: string;
    erased: string[];
    absent: string[];
    failed: TargetErasure['failed'];
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();

/** Adds a target's outcome to its entry of the plan; a record that later succeeded is no longer a failure. */
export function mergeTargetOutcome(plans: readonly TargetErasure[], outcome: TargetErasureOutcome): TargetErasure[] {
    return plans.map((p) => {
        if (p.target !== outcome.target) return p;
        const done = new Set([...outcome.erased, ...outcome.absent]);
        const failed = [...p.failed.filter((f) => !done.has(f.recordId)), ...outcome.failed];
        return { ...p, erased: union(p.erased, outcome.erased), absent: union(p.absent, outcome.absent), failed };
    });
}

/** Two rounds of one erasure (records the final sweep found are a second round) as one entry per target. */
export function mergePlans(a: readonly TargetErasure[], b: readonly TargetErasure[]): TargetErasure[] {
    const merged = new Map(a.map((p) => [p.target, p]));
    for (const p of b) {
        const first = merged.get(p.target);
        merged.set(
            p.target,
            first === undefined
                ? p
                : {
                      ...first,
                      erased: union(first.erased, p.erased),
                      absent: union(first.absent, p.absent),
                      failed: [...first.failed, ...p.failed],
                      remaining: union(first.remaining, p.remaining),
                  },
        );
    }
    return [...merged.values()].sort((x, y) => x.target.localeCompare(y.target));
}
