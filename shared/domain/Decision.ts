/**
 * The explainable result of qualify → score → route for one lead. Every entry names the rule that produced it and
 * the configuration version that decided, so a stored lead says exactly why it went where it went.
 */

import type { OwnerAssignment } from './assignment/assignOwner';
import type { LeadOwner } from './owner';

/** `blank`: the body carried no contact, no `LeadSource` and no offer (a reported marketplace failure); never delivered. */
export type QualificationOutcome = 'qualified' | 'test' | 'blank' | 'do-not-contact' | 'incomplete' | 'disqualified';

export interface RuleHit {
    ruleId: string;
    description: string;
}

export interface Qualification {
    outcome: QualificationOutcome;
    /** The rules that decided the outcome, in evaluation order. */
    reasons: RuleHit[];
}

export interface ScoreEntry extends RuleHit {
    points: number;
}

export interface Score {
    points: number;
    grade: string;
    /** Every rule that gave points (positive or negative). */
    breakdown: ScoreEntry[];
}

/** Outreach targets contact the customer (CRMs); notify targets only tell people (Teams, a webhook). */
export type TargetRole = 'outreach' | 'notify';

export interface RoutedTarget {
    target: string;
    role: TargetRole;
    /** Rules that selected this target; `default` when the default route applied. */
    matchedRules: string[];
    /** Why a target that a rule selected will not receive the lead (e.g. DNC on an outreach target). */
    skippedReason?: string;
}

export interface Route {
    mode: 'first-match' | 'all-matching';
    matchedRules: RuleHit[];
    usedDefault: boolean;
    targets: RoutedTarget[];
}

export interface LeadDecision {
    configVersion: string;
    /** ISO time the decision was taken (the orchestration's replay-safe clock). */
    decidedAt: string;
    qualification: Qualification;
    score: Score;
    route: Route;
    /**
     * Who should follow the lead up, when the pipeline decided it (owner assignment). Each delivery hands the target
     * the person's id in that target (`ownerForTarget`); absent, every target keeps its own owner rules.
     */
    owner?: LeadOwner;
    /** The queue the assignment rules picked (`assignment.rules`, else `defaultQueue`); absent when assignment is off. */
    queue?: { queue: string; ruleId: string };
    /** How the owner was chosen (strategy, who was eligible and why not), decided once per lead by the pipeline. */
    assignment?: OwnerAssignment;
}
