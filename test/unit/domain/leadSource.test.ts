import { actionMeaningOf, parseLeadSource } from '../../../shared/domain/leadSource';

describe('parseLeadSource', () => {
    it.each([
        [
            'AzureMarketplace',
            { raw: 'AzureMarketplace', kind: 'AzureMarketplace', sourceToken: 'AzureMarketplace' },
            {},
        ],
        [
            'SPZA-PLT|contoso.contoso-analytics',
            { kind: 'AppSource', sourceToken: 'SPZA', actionToken: 'PLT', offerRef: 'contoso.contoso-analytics' },
            { publisherId: 'contoso', offerId: 'contoso-analytics' },
        ],
        [
            'AzurePortal-Create|bitnami.openedxcypress',
            { kind: 'AzurePortal', actionToken: 'Create', offerRef: 'bitnami.openedxcypress' },
            { publisherId: 'bitnami', offerId: 'openedxcypress' },
        ],
        [
            'TestDrive-StartTestDrive|x.y',
            { kind: 'TestDrive', actionToken: 'StartTestDrive' },
            { publisherId: 'x', offerId: 'y' },
        ],
        ['AppSource|Contoso Analytics', { kind: 'AppSource', offerRef: 'Contoso Analytics' }, {}],
        ['azuremarketplace-ins', { kind: 'AzureMarketplace', actionToken: 'ins' }, {}],
        ['NewChannel-INS|a.b', { kind: 'Other', sourceToken: 'NewChannel' }, { publisherId: 'a', offerId: 'b' }],
        ['free text from somewhere', { raw: 'free text from somewhere', kind: 'Other' }, {}],
        ['', { raw: '', kind: 'Other' }, {}],
    ])('when LeadSource is %j then it parses to the expected parts', (raw, info, offer) => {
        const parsed = parseLeadSource(raw);
        expect(parsed.info).toMatchObject(info);
        expect(parsed.info.raw).toBe(raw);
        expect({ publisherId: parsed.publisherId, offerId: parsed.offerId }).toEqual({
            publisherId: undefined,
            offerId: undefined,
            ...offer,
        });
    });

    it('when LeadSource is absent then the kind is Unknown', () => {
        expect(parseLeadSource(undefined)).toEqual({ info: { kind: 'Unknown' } });
    });
});

describe('actionMeaningOf', () => {
    it.each([
        ['INS', 'install'],
        ['ins', 'install'],
        ['PLT', 'contact-me'],
        ['DNC', 'do-not-contact'],
        ['dnc', 'do-not-contact'],
        ['Create', 'create'],
        ['StartTestDrive', 'test-drive'],
        ['start-test-drive', 'test-drive'],
        ['FreeTrial', 'free-trial'],
        ['Free Trial', 'free-trial'],
        ['StartTrial', 'free-trial'],
        ['ContactMe', 'contact-me'],
        ['FutureAction', 'unknown'],
        ['', 'unknown'],
    ])('when the action code is %j then the meaning is %s', (code, meaning) => {
        expect(actionMeaningOf(code)).toBe(meaning);
    });
});
