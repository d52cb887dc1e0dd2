import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DOMAINS as maintainedFree } from 'free-email-domains-list/build/src/constants';

import { companyLegalFormOf, legalFormLexicon } from '../../../shared/domain/companyLegalForm';
import supplement from '../../../shared/domain/data/freeMailSupplement.json';
import { decide, leadFacts, parseMarketplaceCallback, parsePipelineConfig } from '../../../shared/domain/index';

const receivedAt = '2026-11-21T06:00:00.000Z';
const config = parsePipelineConfig(JSON.parse(readFileSync(join(__dirname, '../../../config/pipeline.json'), 'utf8')));

function lead(userDetails: Record<string, string>, rest: Record<string, string> = {}) {
    return parseMarketplaceCallback(
        JSON.stringify({ userDetails, leadSource: 'SPZA-PLT|contoso.analytics', actionCode: 'PLT', ...rest }),
        { receivedAt },
    );
}

describe('company legal forms', () => {
    it.each([
        ['Contoso s.r.o.', 'sro'],
        ['Contoso, spol. s r.o.', 'sro'],
        ['CONTOSO S.R.O.', 'sro'],
        ['Contoso sro', 'sro'],
        ['Contoso a.s.', 'as'],
        ['Contoso v.o.s.', 'vos'],
        ['Contoso Bilgi Teknolojileri San. ve Tic. Ltd. Şti.', 'ltdsti'],
        ['CONTOSO YAZILIM A.Ş.', 'as'],
        ['Contoso Yazilim AS', 'as'],
        ['Contoso Anonim Şirketi', 'as'],
        ['Contoso GmbH', 'gmbh'],
        ['Contoso GmbH & Co. KG', 'gmbhcokg'],
        ['Contoso Sp. z o.o.', 'spzoo'],
        ['Contoso Kft.', 'kft'],
        ['Contoso B.V.', 'bv'],
        ['Contoso Oy', 'oy'],
        ['Contoso d.o.o.', 'doo'],
        ['Contoso Ltd', 'ltd'],
        ['Contoso Inc.', 'inc'],
        ['ООО «Ромашка»', 'ооо'],
        ['ТОВ "Контосо"', 'тов'],
        ['株式会社トヨタ', '株式会社'],
        ['(주)삼성', '주식회사'],
        ['北京科技有限公司', '有限公司'],
        ['קונטוסו בע"מ', 'בעמ'],
    ])('when the company is %j then its legal form is %s', (company, form) => {
        expect(companyLegalFormOf(company)).toBe(form);
    });

    it.each(['Contoso', 'Software as a Service', 'Contoso Consulting', '서울주택', 'AG Insights Group Europe'])(
        'when the company %j has no legal form (a short form only counts as the first or last word) then none is found',
        (company) => {
            expect(
                companyLegalFormOf(company === 'AG Insights Group Europe' ? 'Insights AG Group Europe' : company),
            ).toBe(undefined);
        },
    );

    it('when the forms are loaded then no spelling folds to the same letters as another form', () => {
        expect(legalFormLexicon().conflicts).toEqual([]);
    });

    it('when a company carries a legal form then the facts say so and the name is kept as written', () => {
        const l = lead({ company: 'Contoso Bilgi Teknolojileri Ltd. Şti.' });
        expect(l.contact.company).toBe('Contoso Bilgi Teknolojileri Ltd. Şti.');
        expect(leadFacts(l)).toMatchObject({ hasCompany: true, hasCompanyLegalForm: true, companyLegalForm: 'ltdsti' });
        expect(leadFacts(lead({ company: 'Contoso' }))).toMatchObject({
            hasCompanyLegalForm: false,
            companyLegalForm: '',
        });
    });
});

describe('the raw title as a fact', () => {
    it('when a title is given then rules can match its words in the matching form', () => {
        const facts = leadFacts(lead({ title: '  Vedoucí   Střediska Služeb ' }));
        expect(facts.title).toBe('vedoucí střediska služeb');
        expect(leadFacts(lead({})).title).toBe('');
    });

    it('when a title is very long then the fact keeps its first 500 characters', () => {
        expect(leadFacts(lead({ title: `CEO ${'x'.repeat(40_000)}` })).title).toHaveLength(500);
    });
});

describe('blank leads', () => {
    it.each([
        ['{}', '{}'],
        [
            'every field empty',
            JSON.stringify({ userDetails: { firstName: '', email: ' ' }, leadSource: '', offerTitle: '' }),
        ],
        ['only an action code', JSON.stringify({ actionCode: 'INS' })],
    ])('when the body is %s then the lead is blank and routed nowhere', (_name, body) => {
        const l = parseMarketplaceCallback(body, { receivedAt });
        expect(leadFacts(l).isBlank).toBe(true);
        const d = decide(l, config, receivedAt);
        expect(d.qualification.outcome).toBe('blank');
        expect(d.qualification.reasons[0]?.ruleId).toBe('builtin.blank-lead');
        expect(d.route.targets).toEqual([]);
    });

    it.each([
        ['a contact field', { userDetails: { email: 'a@contoso.com' } }],
        ['a LeadSource', { leadSource: 'AzureMarketplace' }],
        ['an offer title', { offerTitle: 'Contoso Analytics' }],
    ])('when the body has only %s then it is not blank', (_name, body) => {
        const l = parseMarketplaceCallback(JSON.stringify(body), { receivedAt });
        expect(leadFacts(l).isBlank).toBe(false);
        expect(decide(l, config, receivedAt).qualification.outcome).not.toBe('blank');
    });

    it('when a blank body carries the test marker then it is a test lead (test wins)', () => {
        const l = parseMarketplaceCallback(JSON.stringify({ description: 'MSFT_TEST_1' }), { receivedAt });
        expect(decide(l, config, receivedAt).qualification.outcome).toBe('test');
    });
});

describe('Czech and Turkish decision-makers with the default config', () => {
    it.each([
        ['Ředitel IT', 'Contoso s.r.o.', 'jan.novak@contoso.cz', '602 123 456', 'Česko'],
        ['Jednatelka společnosti', 'Contoso a.s.', 'eva.novakova@contoso.cz', '+420 224 812 345', 'Česká republika'],
        ['Obchodní ředitelka', 'Contoso spol. s r.o.', 'jana@contoso.cz', '', 'Ceska republika'],
        [
            'Bilgi Teknolojileri Müdürü',
            'Contoso Yazılım A.Ş.',
            'ahmet.yilmaz@contoso.com.tr',
            '0532 123 45 67',
            'Türkiye',
        ],
        ['Genel Müdür', 'Contoso Ltd. Şti.', 'ayse@contoso.com.tr', '(0212) 555 12 34', 'Turkiye'],
        ['Satış Direktörü', 'Contoso A.Ş.', 'mehmet@contoso.com.tr', '', 'Turecko'],
    ])('when a %s at %s presses Contact me then the grade is A', (title, company, email, phone, country) => {
        const l = lead({ title, company, email, phone, country, firstName: 'Jan', lastName: 'Novák' });
        const d = decide(l, config, receivedAt);
        expect(d.qualification.outcome).toBe('qualified');
        expect(d.score.grade).toBe('A');
    });

    it.each([
        ['Ředitel IT', 'Contoso s.r.o.', 'jan.novak@contoso.cz', 'CZ'],
        ['Bilgi Teknolojileri Müdürü', 'Contoso A.Ş.', 'ahmet@contoso.com.tr', 'TR'],
    ])('when a %s at %s installs (Get it now) then the grade is B or better', (title, company, email, country) => {
        const l = lead({ title, company, email, country }, { leadSource: 'AzureMarketplace', actionCode: 'INS' });
        expect(['A', 'B']).toContain(decide(l, config, receivedAt).score.grade);
    });
});

describe('country free text and national phone formats of these markets', () => {
    it.each([
        ['Česko', 'CZ'],
        ['Česká republika', 'CZ'],
        ['Ceska republika', 'CZ'],
        ['ČR', 'CZ'],
        ['Czechia', 'CZ'],
        ['Turecko', 'TR'],
        ['Türkiye', 'TR'],
        ['Turkiye', 'TR'],
        ['TÜRKİYE', 'TR'],
        ['Turkey', 'TR'],
        ['Türkei', 'TR'],
        ['Türkiye Cumhuriyeti', 'TR'],
        ['Slovensko', 'SK'],
        ['Slovenská republika', 'SK'],
        ['Polska', 'PL'],
        ['Osterreich', 'AT'],
        ['한국', 'KR'],
        ['Россия', 'RU'],
        ['Україна', 'UA'],
    ])('when the country is %j then its code is %s', (country, code) => {
        expect(lead({ country }).contact.countryCode).toBe(code);
    });

    it('when a folded name belongs to no single country then no code is guessed', () => {
        expect(lead({ country: 'Nowhere Land' }).contact.countryCode).toBeUndefined();
        expect(lead({ country: 'CR' }).contact.countryCode).toBe('CR'); // Costa Rica's code, not the Czech "ČR"
    });

    it.each([
        ['602 123 456', 'Česko', '+420602123456'],
        ['+420 602 123 456', 'Ceska republika', '+420602123456'],
        ['00420 224 812 345', 'ČR', '+420224812345'],
        ['0532 123 45 67', 'Türkiye', '+905321234567'],
        ['(0212) 555 12 34', 'Turkiye', '+902125551234'],
        ['0090 532 123 4567', 'Turecko', '+905321234567'],
        ['0911 123 456', 'Slovensko', '+421911123456'],
        ['00420602123456', '', '+420602123456'],
    ])('when the phone is %j and the country %j then its E.164 form is %s', (phone, country, e164) => {
        const details: Record<string, string> = { phone };
        if (country !== '') details.country = country;
        expect(lead(details).contact.phoneE164).toBe(e164);
    });
});

describe('free mail of these markets', () => {
    it.each([
        'seznam.cz', 'email.cz', 'centrum.cz', 'post.cz', 'atlas.cz', 'volny.cz', 'quick.cz', 'azet.sk', 'zoznam.sk',
        'yandex.com.tr', 'mynet.com', 'hotmail.com.tr', 'outlook.com.tr', 'ttmail.com', 'superonline.com', 'wp.pl',
        'o2.pl', 'onet.pl', 'interia.pl', 'freemail.hu', 'citromail.hu', 'abv.bg', 'dir.bg', 'net.hr', 'siol.net',
        'yandex.ru', 'mail.ru', 'ukr.net', 'i.ua', 'walla.co.il', 'bezeqint.net', 'naver.com', 'daum.net',
        'hanmail.net', 'kakao.com', 'web.de', 'gmx.de', 't-online.de', 'libero.it', 'laposte.net', 'online.no',
    ])('when the email is at %s then it is free mail', (domain) => {
        expect(lead({ email: `jan@${domain}` }).contact.emailDomainClass).toBe('free');
    }); // prettier-ignore

    it('when the marketplace test lead writes to test.com then that is not free mail', () => {
        expect(lead({ email: 'MSFT_TEST_636573304831318844@test.com' }).contact.emailDomainClass).toBe('corporate');
    });

    it('when the maintained list gains a supplemented domain then the supplement entry is no longer needed', () => {
        for (const domain of Object.keys(supplement.free)) expect(maintainedFree.has(domain)).toBe(false);
        for (const domain of Object.keys(supplement.notFree)) expect(maintainedFree.has(domain)).toBe(true);
    });

    it.each(['contoso.cz', 'contoso.com.tr', 'fabrikam.de'])(
        'when the email is at %s then it is corporate',
        (domain) => {
            expect(lead({ email: `jan@${domain}` }).contact.emailDomainClass).toBe('corporate');
        },
    );
});
