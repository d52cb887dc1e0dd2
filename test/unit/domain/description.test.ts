import { parseMarketplaceCallback } from '../../../shared/domain';
import { parseDescription } from '../../../shared/domain/description';
import { callback, receivedAt, sampleBytes } from './support/samples';

describe('parseDescription', () => {
    it('when the description is a JSON object of query parameters then they become the campaign', () => {
        const d = parseDescription(
            '{"mktcmpid":"1234","partnerid":"98765","utm_source":"LinkedIn","utm_medium":"social"}',
        );
        expect(d).toEqual({
            campaign: {
                mktcmpid: '1234',
                utmSource: 'LinkedIn',
                utmMedium: 'social',
                params: { mktcmpid: '1234', partnerid: '98765', utm_source: 'LinkedIn', utm_medium: 'social' },
            },
        });
    });

    it('when parameter names differ in case then they are still recognised', () => {
        expect(parseDescription('{"MktCmpId":"abc","UTM_Campaign":"launch"}').campaign).toMatchObject({
            mktcmpid: 'abc',
            utmCampaign: 'launch',
        });
    });

    it.each([
        ['12345678901234567', undefined],
        ['has space', undefined],
        ['ok_id-16chars-xx', 'ok_id-16chars-xx'],
        ['<script>', undefined],
    ])('when mktcmpid is %j then it is accepted only if it is up to 16 of letters, digits, _ and -', (id, expected) => {
        const d = parseDescription(JSON.stringify({ mktcmpid: id }));
        expect(d.campaign?.mktcmpid).toBe(expected);
        expect(d.campaign?.params.mktcmpid).toBe(id);
    });

    it('when values are numbers or booleans then they are kept as strings; nested values are dropped', () => {
        expect(parseDescription('{"mktcmpid":1234,"flag":true,"nested":{"a":1}}').campaign?.params).toEqual({
            mktcmpid: '1234',
            flag: 'true',
        });
    });

    it('when the description is a query string then it is the campaign', () => {
        expect(parseDescription('?mktcmpid=spring&utm_source=bing').campaign).toMatchObject({
            mktcmpid: 'spring',
            utmSource: 'bing',
        });
    });

    it('when the description is "Campaigns: …" then the list is kept and a campaign id taken from it', () => {
        expect(parseDescription('Campaigns: cmp-2026-q1, other')).toEqual({
            campaign: { mktcmpid: 'cmp-2026-q1', params: { campaigns: 'cmp-2026-q1, other' } },
        });
    });

    it.each([['Campaigns: '], [' '], [''], ['   \n ']])(
        'when the description is %j then it carries nothing',
        (text) => {
            expect(parseDescription(text)).toEqual({});
        },
    );

    it('when the description looks like an object but is not JSON then it is notes', () => {
        expect(parseDescription('{we need this asap}')).toEqual({ notes: '{we need this asap}' });
    });

    it('when the description is a JSON object with no usable values then it is notes', () => {
        expect(parseDescription('{"a":{"b":1}}')).toEqual({ notes: '{"a":{"b":1}}' });
    });

    it('when the description is free text then it is notes, unchanged', () => {
        expect(parseDescription('  Please call after 3pm ')).toEqual({ notes: '  Please call after 3pm ' });
    });

    it('when the description has more than 50 parameters then only the first 50 are kept', () => {
        const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`p${i}`, String(i)]));
        expect(Object.keys(parseDescription(JSON.stringify(many)).campaign!.params)).toHaveLength(50);
    });
});

describe('descriptions in parsed leads', () => {
    it('when a callback carries campaign JSON then the lead has campaign params and no notes', () => {
        const lead = parseMarketplaceCallback(sampleBytes('https-pascal-campaign.json'), { receivedAt });
        expect(lead.description.notes).toBeUndefined();
        expect(lead.description.campaign).toMatchObject({ mktcmpid: 'spring-2026_A1', utmSource: 'linkedin' });
        expect(lead.description.raw).toContain('mktcmpid');
    });

    it('when the description is the test marker then the lead is a test', () => {
        const lead = parseMarketplaceCallback(callback({}, { Description: 'MSFT_TEST_636573304831318844' }), {
            receivedAt,
        });
        expect(lead.flags).toMatchObject({ isTest: true, testMarker: 'MSFT_TEST_ in description' });
    });
});
