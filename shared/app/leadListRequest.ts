import { z } from 'zod';

import {
    type ActionMeaning,
    type LeadChannel,
    type LeadSourceKind,
    listedStatuses,
    MAX_SEARCH_CHARS,
    parseLeadSearch,
    type QualificationOutcome,
    ValidationError,
} from '../domain/index';
import type { ListLeadsQuery } from './listLeads';

// Records over the domain's unions: a value added there fails to compile here until it is listed.
const sources: Record<LeadSourceKind, true> = {
    AzureMarketplace: true,
    AzurePortal: true,
    AppSource: true,
    TestDrive: true,
    Other: true,
    Unknown: true,
};
const actions: Record<ActionMeaning, true> = {
    install: true,
    'contact-me': true,
    'do-not-contact': true,
    create: true,
    'test-drive': true,
    'free-trial': true,
    unknown: true,
};
const outcomes: Record<QualificationOutcome, true> = {
    qualified: true,
    test: true,
    blank: true,
    'do-not-contact': true,
    incomplete: true,
    disqualified: true,
};
const channels: Record<LeadChannel, true> = { https: true, table: true };

/** The values each list filter accepts, for validation and for the console's choices. */
export const listFilterValues = {
    status: listedStatuses,
    source: Object.keys(sources) as LeadSourceKind[],
    action: Object.keys(actions) as ActionMeaning[],
    outcome: Object.keys(outcomes) as QualificationOutcome[],
    channel: Object.keys(channels) as LeadChannel[],
};

const oneOf = <T extends string>(values: readonly T[]) =>
    z.string().refine((v): v is T => (values as readonly string[]).includes(v), {
        message: `must be one of ${values.join(', ')}`,
    });
const isoTime = z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be an ISO date-time' })
    .transform((v) => new Date(v));
const short = z.string().min(1).max(200);

const listRequest = z
    .object({
        status: oneOf(listFilterValues.status).optional(),
        since: isoTime.optional(),
        until: isoTime.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        continuationToken: z.string().max(4096).optional(),
        grade: z
            .string()
            .regex(/^[A-Za-z0-9+-]{1,10}$/u, 'must be a grade such as A')
            .optional(),
        outcome: oneOf(listFilterValues.outcome).optional(),
        source: oneOf(listFilterValues.source).optional(),
        action: oneOf(listFilterValues.action).optional(),
        offer: short.optional(),
        channel: oneOf(listFilterValues.channel).optional(),
        search: z.string().max(MAX_SEARCH_CHARS).optional(),
    })
    .strict();

/**
 * A list request's filters, from a query string (`GET /api/leads`) or a JSON body (`POST /api/leads/query`). A
 * search (an email or part of a company name) is accepted only from a body: a URL is logged by the platform, a body
 * is not. Anything else that is wrong is a `ValidationError` naming each field.
 */
export function parseLeadListRequest(input: unknown, from: 'query' | 'body'): ListLeadsQuery {
    const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    if (from === 'query' && fields.search !== undefined) {
        throw new ValidationError('search goes in the body of POST /api/leads/query, never in a URL', [
            { path: 'search', message: 'is not accepted in a URL (it would be logged); POST it to /api/leads/query' },
        ]);
    }
    const parsed = listRequest.safeParse(fields);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => ({
            path: i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : ''),
            message: i.message,
        }));
        throw new ValidationError(`The list request is not valid: ${problems.map((p) => p.path).join(', ')}`, problems);
    }
    const { search, status, ...rest } = parsed.data;
    if (rest.since !== undefined && rest.until !== undefined && rest.until <= rest.since) {
        throw new ValidationError('until must be after since', [{ path: 'until', message: 'must be after since' }]);
    }
    return { ...rest, status, search: parseLeadSearch(search) };
}
