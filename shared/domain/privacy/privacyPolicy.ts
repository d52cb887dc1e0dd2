/**
 * How long the pipeline keeps what it stores, and which CRMs a person is erased from with it: the `privacy` section
 * of `config/pipeline.json`, every part optional.
 */
import { z } from 'zod';

/** What retention applies to, each with its own period. */
export const retentionKinds = ['leads', 'rawBodies', 'invalidPayloads', 'parkedEvents', 'durableHistories'] as const;
export type RetentionKind = (typeof retentionKinds)[number];

/**
 * Days each kind is kept when the config says nothing (docs/data-map.md gives the reasons). A lead is kept a year:
 * one customer's journey (Contact me, then Get it now, then Create) spans months, and the CRM holds the lead after
 * that. The raw body only serves to re-read a payload the parser got wrong; a parked event and a finished
 * orchestration only serve an operator looking at a recent problem: 30 days each.
 */
export const defaultRetentionDays: Readonly<Record<RetentionKind, number>> = Object.freeze({
    leads: 365,
    rawBodies: 30,
    invalidPayloads: 30,
    parkedEvents: 30,
    durableHistories: 30,
});

/** A raw body, a parked event or a history outliving its lead would be personal data kept past its period. */
const MAX_DAYS = 3650;
const days = z.number().positive().max(MAX_DAYS);

export const privacySectionSchema = z.strictObject({
    retentionDays: z
        .strictObject({
            leads: days.optional(),
            rawBodies: days.optional(),
            invalidPayloads: days.optional(),
            parkedEvents: days.optional(),
            durableHistories: days.optional(),
        })
        .optional(),
    /** Targets whose records of a person are deleted when the person is erased; none unless listed. */
    eraseInTargets: z.array(z.string().min(1)).optional(),
});

export type PrivacySection = z.infer<typeof privacySectionSchema>;

export interface PrivacyPolicy {
    retentionDays: Readonly<Record<RetentionKind, number>>;
    eraseInTargets: readonly string[];
}

/** The section with every default filled in. */
export function privacyPolicyOf(section: PrivacySection | undefined): PrivacyPolicy {
    const given = section?.retentionDays ?? {};
    const retentionDays = Object.fromEntries(
        retentionKinds.map((kind) => [kind, given[kind] ?? defaultRetentionDays[kind]]),
    ) as Record<RetentionKind, number>;
    return { retentionDays, eraseInTargets: [...new Set(section?.eraseInTargets ?? [])] };
}

/** Anything stored before its cutoff is past its period. */
export function retentionCutoffs(policy: PrivacyPolicy, now: Date): Record<RetentionKind, Date> {
    return Object.fromEntries(
        retentionKinds.map((kind) => [kind, new Date(now.getTime() - policy.retentionDays[kind] * 86_400_000)]),
    ) as Record<RetentionKind, Date>;
}

/** Target types with an API to delete the records the pipeline wrote (notifications cannot be recalled). */
export const erasableTargetTypes: ReadonlySet<string> = new Set(['dynamics365', 'salesforce', 'hubspot', 'marketo']);
