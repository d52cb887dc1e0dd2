import { parseMarketplaceCallback } from '../../../shared/domain';
import { countryCodeOf } from '../../../shared/domain/country';
import { phoneToE164 } from '../../../shared/domain/phone';
import { regionOf } from '../../../shared/domain/region';
import { titleSeniorityOf } from '../../../shared/domain/titleSeniority';
import { callback, receivedAt } from './support/samples';

describe('countryCodeOf', () => {
    it.each([
        ['US', 'US'],
        ['USA', 'US'],
        ['usa', 'US'],
        ['United States', 'US'],
        ['United States of America', 'US'],
        ['U.S.', 'US'],
        ['U.S.A.', 'US'],
        ['  united   states ', 'US'],
        ['UK', 'GB'],
        ['United Kingdom', 'GB'],
        ['England', 'GB'],
        ['Deutschland', 'DE'],
        ['Allemagne', 'DE'],
        ['DEU', 'DE'],
        ['Brasil', 'BR'],
        ['日本', 'JP'],
        ['中国', 'CN'],
        ['España', 'ES'],
        ['Côte d’Ivoire', 'CI'],
        ['South Korea', 'KR'],
        ['ＵＳＡ', 'US'],
    ])('when the country text is %j then the code is %s', (text, code) => {
        expect(countryCodeOf(text)).toBe(code);
    });

    it.each([['Narnia'], [''], ['x'.repeat(500)], [undefined]])('when the text is %j then there is no code', (text) => {
        expect(countryCodeOf(text)).toBeUndefined();
    });

    it('when the country is unrecognisable then the original text is still stored', () => {
        const lead = parseMarketplaceCallback(callback({ Country: 'Narnia' }), { receivedAt });
        expect(lead.contact.country).toBe('Narnia');
        expect(lead.contact.countryCode).toBeUndefined();
    });
});

describe('phoneToE164', () => {
    it.each([
        ['16175555555', 'US', '+16175555555'],
        ['(425) 555-0134', 'US', '+14255550134'],
        ['+1 425 555 0134', undefined, '+14255550134'],
        ['16175555555', undefined, '+16175555555'],
        ['030 1234567', 'DE', '+49301234567'],
        ['+44 20 7946 0958', 'US', '+442079460958'],
        ['1234567890', 'US', undefined],
        ['call me', 'US', undefined],
        ['', 'US', undefined],
        ['1'.repeat(100), 'US', undefined],
    ])('when the phone is %j in %s then E.164 is %s', (text, country, expected) => {
        expect(phoneToE164(text, country)).toBe(expected);
    });

    it('when the phone has no E.164 form then the text is still stored', () => {
        const lead = parseMarketplaceCallback(callback({ Phone: 'ext. 12' }), { receivedAt });
        expect(lead.contact.phone).toBe('ext. 12');
        expect(lead.contact.phoneE164).toBeUndefined();
    });
});

describe('titleSeniorityOf', () => {
    it.each([
        ['CEO', 'c-level'],
        ['Chief Technology Officer', 'c-level'],
        ['Co-Founder & CTO', 'c-level'],
        ['Owner', 'c-level'],
        ['Managing Director', 'c-level'],
        ['Geschäftsführer', 'c-level'],
        ['PDG', 'c-level'],
        ['代表取締役社長', 'c-level'],
        ['总经理', 'c-level'],
        ['Vice President, Sales', 'vp'],
        ['SVP Engineering', 'vp'],
        ['Vice-Président', 'vp'],
        ['Director of IT', 'director'],
        ['Head of Data', 'director'],
        ['Directeur informatique', 'director'],
        ['Leiter IT', 'director'],
        ['部長', 'director'],
        ['IT Manager', 'manager'],
        ['Gerente de TI', 'manager'],
        ['Team Lead', 'manager'],
        ['マネージャー', 'manager'],
        ['Algemeen directeur', 'c-level'],
        ['Hoofd ICT', 'director'],
        ['Teamleider support', 'manager'],
        ['Software Engineer', 'individual'],
        ['Esquire', 'individual'],
        ['', 'unknown'],
        [undefined, 'unknown'],
    ])('when the title is %j then the seniority is %s', (title, level) => {
        expect(titleSeniorityOf(title)).toBe(level);
    });

    it('when a word only contains a keyword then it does not match (Director ≠ "Directory admin")', () => {
        expect(titleSeniorityOf('Directory administrator')).toBe('individual');
        expect(titleSeniorityOf('Leadership coach')).toBe('individual');
    });
});

describe('regionOf', () => {
    it.each([
        ['US', 'NA'],
        ['CA', 'NA'],
        ['MX', 'LATAM'],
        ['BR', 'LATAM'],
        ['DE', 'EMEA'],
        ['AE', 'EMEA'],
        ['ZA', 'EMEA'],
        ['JP', 'APAC'],
        ['IN', 'APAC'],
        ['AU', 'APAC'],
        [undefined, 'unknown'],
    ])('when the country is %s then the region is %s', (code, region) => {
        expect(regionOf(code)).toBe(region);
    });
});
