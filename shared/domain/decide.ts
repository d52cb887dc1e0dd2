/**
 * qualify → score → route for one lead, deriving the facts once. Pure: `now` is the caller's (replay-safe) clock.
 */
import { pickQueue } from './assignment/assignOwner';
import type { LeadDecision } from './Decision';
import { leadFacts } from './facts';
import type { Lead } from './Lead';
import type { PipelineConfig } from './pipelineConfig';
import { qualifyFacts } from './qualify';
import { routeFacts, type RouteOptions } from './route';
import { scoreFacts } from './score';

export function decide(lead: Lead, config: PipelineConfig, now: string | Date, options?: RouteOptions): LeadDecision {
    const facts = leadFacts(lead);
    const qualification = qualifyFacts(facts, config);
    facts.qualification = qualification.outcome;
    const score = scoreFacts(facts, config);
    facts.points = score.points;
    facts.grade = score.grade;
    const route = routeFacts(facts, qualification, config, options);
    // Only a lead that reaches someone gets an owner (not a test, a blank or one routed nowhere), and only of the
    // outcomes the section names (qualified by default).
    const reaches = route.targets.some((t) => t.skippedReason === undefined);
    const outcomes: readonly string[] = config.assignment?.outcomes ?? [];
    const assigned = outcomes.includes(qualification.outcome);
    const queue = reaches && assigned ? pickQueue(facts, config.assignment) : undefined;
    return {
        configVersion: config.version,
        decidedAt: typeof now === 'string' ? now : now.toISOString(),
        qualification,
        score,
        route,
        ...(queue === undefined ? {} : { queue }),
    };
}
