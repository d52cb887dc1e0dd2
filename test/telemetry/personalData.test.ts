import {
    containsPersonalData,
    isPersonalKey,
    redactText,
    sanitizeAttributes,
} from '../../shared/telemetry/personalData';

describe('personal data filter', () => {
    it('when a key names a personal field, then the attribute is dropped whatever its value', () => {
        for (const key of [
            'email',
            'contact.email',
            'lead.emailNormalised',
            'phone',
            'contact.phoneE164',
            'firstName',
            'last_name',
            'contact.name',
            'customer.name',
            'lead.name',
            'user.id',
            'company',
            'description',
            'enduser.id',
        ]) {
            expect(isPersonalKey(key)).toBe(true);
        }
    });

    it('when a key is an id, enum or count, then it is kept', () => {
        for (const key of [
            'leadKey',
            'lead.key',
            'lead.id',
            'outcome',
            'grade',
            'target',
            'channel',
            'source',
            'action',
            'attempt',
        ]) {
            expect(isPersonalKey(key)).toBe(false);
        }
    });

    it('when a value contains an email address or a phone number, then it is recognised', () => {
        for (const value of [
            'jane.doe@contoso.com',
            'Contact: Jane <jane.doe+x@sub.contoso.co.uk>',
            '+1 425 555 0100',
            '(425) 555-0100',
            '+44 20 7946 0958',
            '4255550100',
        ]) {
            expect(containsPersonalData(value)).toBe(true);
        }
    });

    it('when a value is a hash, a GUID, a date, a version or a short number, then it is not mistaken for a phone', () => {
        for (const value of [
            'a3f9c2e1b04d58761234567890abcdef1234567890abcdef1234567890abcdef',
            '3920184756ab41cd',
            '123e4567-e89b-12d3-a456-426614174000',
            '2026-11-21',
            '2026-11-21T06:07:31.123Z',
            '1.2.3',
            'HTTP 503',
            'lead-0001',
        ]) {
            expect(containsPersonalData(value)).toBe(false);
        }
    });

    it('when attributes hold personal data, then a copy without it is returned and the count of dropped ones', () => {
        const input = {
            leadKey: 'k-1',
            email: 'jane@contoso.com',
            note: 'call +1 425 555 0100',
            outcome: 'qualified',
            score: 42,
        };
        const { attributes, dropped } = sanitizeAttributes(input);
        expect(attributes).toEqual({ leadKey: 'k-1', outcome: 'qualified', score: 42 });
        expect(dropped).toBe(2);
        expect(input.email).toBe('jane@contoso.com');
    });

    it('when nothing personal is present, then the same object comes back (no allocation on the hot path)', () => {
        const input = { leadKey: 'k-1', outcome: 'qualified' };
        expect(sanitizeAttributes(input).attributes).toBe(input);
    });

    it('when an exception message carries an email or phone, then it is redacted, not dropped', () => {
        const { attributes } = sanitizeAttributes({
            'exception.message': 'Duplicate contact jane@contoso.com (+1 425 555 0100) for lead k-1',
        });
        expect(attributes['exception.message']).toBe('Duplicate contact [email] ([phone]) for lead k-1');
        expect(redactText('status 409 at 2026-11-21')).toBe('status 409 at 2026-11-21');
    });
});
