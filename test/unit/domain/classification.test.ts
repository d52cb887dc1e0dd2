import { parseMarketplaceCallback } from '../../../shared/domain';
import { classifyEmailDomain, isAcademicDomain } from '../../../shared/domain/emailDomain';
import { callback, receivedAt } from './support/samples';

describe('classifyEmailDomain', () => {
    it.each([
        ['contoso.com', 'corporate'],
        ['fabrikam.co.uk', 'corporate'],
        ['gmail.com', 'free'],
        ['outlook.com', 'free'],
        ['gmx.de', 'free'],
        ['mailinator.com', 'disposable'],
        ['33mail.com', 'disposable'],
        ['mit.edu', 'education'],
        ['cs.stanford.edu', 'education'],
        ['some-college.edu', 'education'],
        ['ox.ac.uk', 'education'],
        ['tum.de', 'education'],
        ['student.ethz.ch', 'education'],
        ['localhost', 'none'],
        ['', 'none'],
        [undefined, 'none'],
    ])('when the domain is %j then the class is %s', (domain, cls) => {
        expect(classifyEmailDomain(domain)).toBe(cls);
    });

    it('when a subdomain of a wildcard-disposable provider is used then it is disposable', () => {
        expect(classifyEmailDomain('anything.33mail.com')).toBe('disposable');
    });

    it('when swot lists a domain as not academic then it is not education', () => {
        expect(isAcademicDomain('australia.edu')).toBe(false);
    });
});

describe('education and missing contact in leads', () => {
    it('when the email is a .edu address then the lead is flagged as education', () => {
        const lead = parseMarketplaceCallback(callback({ Email: 'student@Harvard.EDU' }), { receivedAt });
        expect(lead.contact.emailDomainClass).toBe('education');
        expect(lead.flags.isEducation).toBe(true);
    });

    it('when the email has no @ then it is kept but there is no domain and no person key', () => {
        const lead = parseMarketplaceCallback(callback({ Email: 'not-an-email', Phone: '' }), { receivedAt });
        expect(lead.contact.email).toBe('not-an-email');
        expect(lead.contact.emailDomain).toBeUndefined();
        expect(lead.contact.emailDomainClass).toBe('none');
        expect(lead.personKey).toBeUndefined();
        expect(lead.flags.missingContact).toBe(true);
    });
});

describe('test-lead detection', () => {
    it.each([
        ['FirstName', 'contact.firstName'],
        ['LastName', 'contact.lastName'],
        ['Company', 'contact.company'],
        ['Title', 'contact.title'],
    ])('when %s carries MSFT_TEST_ then the lead is a test', (field, marker) => {
        const lead = parseMarketplaceCallback(callback({ [field]: 'MSFT_TEST_1234' }), { receivedAt });
        expect(lead.flags).toMatchObject({ isTest: true, testMarker: `MSFT_TEST_ in ${marker}` });
    });

    it('when the email local part carries MSFT_TEST_ then the lead is a test', () => {
        const lead = parseMarketplaceCallback(callback({ Email: 'msft_test_99@contoso.com' }), { receivedAt });
        expect(lead.flags.testMarker).toBe('MSFT_TEST_ in contact.email');
    });

    it('when only the email domain carries MSFT_TEST_ then it is not a test', () => {
        const lead = parseMarketplaceCallback(callback({ Email: 'ana@msft_test_.com' }), { receivedAt });
        expect(lead.flags.isTest).toBe(false);
    });

    it('when no field carries the marker then it is not a test', () => {
        expect(parseMarketplaceCallback(callback(), { receivedAt }).flags.isTest).toBe(false);
    });
});
