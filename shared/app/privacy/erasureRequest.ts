import { z } from 'zod';

import { ValidationError } from '../../domain/index';

/** The body of `POST /api/privacy/erasures` (and of an export): no field is echoed back or logged. */
const personSchema = z.strictObject({
    email: z
        .string()
        .trim()
        .min(3)
        .max(254)
        .refine((s) => s.includes('@'), 'must be an email address')
        .optional(),
    offer: z.string().trim().min(1).max(512).optional(),
    leadIds: z
        .array(z.string().regex(/^[A-Za-z0-9-]{1,100}$/u, 'must be a lead id'))
        .max(100)
        .optional(),
    marketplaceTable: z.boolean().optional(),
});

export type PersonRequest = z.infer<typeof personSchema>;

/** Reads the JSON body; a body that is not JSON or not of this shape is a `ValidationError` (400), values unquoted. */
export function parsePersonRequest(bytes: Uint8Array, requireEmail: boolean): PersonRequest {
    let json: unknown;
    try {
        json = JSON.parse(new TextDecoder('utf-8').decode(bytes));
    } catch {
        throw new ValidationError('The body is not JSON', [{ path: '$', message: 'must be a JSON object' }]);
    }
    const parsed = personSchema.safeParse(json);
    if (!parsed.success) {
        throw new ValidationError(
            'The body is not a person request',
            parsed.error.issues.map((i) => ({ path: i.path.join('.') || '$', message: i.message })),
        );
    }
    const request = parsed.data;
    if (request.email === undefined && (requireEmail || (request.leadIds ?? []).length === 0)) {
        throw new ValidationError('Name the person', [
            { path: 'email', message: requireEmail ? 'is required' : 'is required unless leadIds are given' },
        ]);
    }
    return request;
}

/** A person request is an email, an offer and a few ids: a body past this is not one. */
export const MAX_PERSON_REQUEST_BYTES = 16 * 1024;
