import { mapLead, mappingProblems } from '../../../shared/adapters/crmKit/fieldMapping';
import { resolveSettings, settingReferences } from '../../../shared/settingReferences';
import { makeDecision, makeLead } from '../../contract/support/fixtures';

describe('declarative field mapping', () => {
    const defaults = { FirstName: 'firstName', LastName: 'lastName ?? =(not provided)', Score: 'score' };

    it('when only defaults apply, then lead view fields are copied and numbers stay numbers', () => {
        expect(mapLead(defaults, undefined, makeLead(), makeDecision())).toEqual({
            FirstName: 'Augusta',
            LastName: 'Lovelace',
            Score: 72,
        });
    });

    it('when overrides add, replace and remove fields, then the record follows them', () => {
        const record = mapLead(
            defaults,
            {
                Score: '',
                Grade__c: 'grade',
                Product__c: 'lead.offer.offerId',
                Mode__c: 'decision.route.mode',
                Src: '=Marketplace',
            },
            makeLead(),
            makeDecision(),
        );
        expect(record).toEqual({
            FirstName: 'Augusta',
            LastName: 'Lovelace',
            Grade__c: 'A',
            Product__c: 'analytics',
            Mode__c: 'all-matching',
            Src: 'Marketplace',
        });
    });

    it('when a value is missing, then the next alternative is used, or the field is left out', () => {
        const lead = makeLead({ contact: { ...makeLead().contact, lastName: undefined, title: '  ' } });
        expect(
            mapLead({ LastName: 'lastName ?? =(not provided)', Title: 'title' }, undefined, lead, makeDecision()),
        ).toEqual({
            LastName: '(not provided)',
        });
    });

    it('when a mapping names an unknown field, then the problem names the path and the field', () => {
        expect(
            mappingProblems({ A: 'email', B: 'favouriteColour ?? email', C: 'lead.x' }, 'targets.t.mapping'),
        ).toEqual([
            { path: 'targets.t.mapping.B', message: expect.stringContaining('unknown lead field "favouriteColour"') },
        ]);
    });
});

describe('%SETTING% resolution', () => {
    it('when options reference settings, then values are substituted and unset ones reported per option', () => {
        const settings: Record<string, string> = { PORTAL_A_TOKEN: 'secret', HOST: 'api.example' };
        const { options, missing } = resolveSettings(
            { token: '%PORTAL_A_TOKEN%', url: 'https://%HOST%/v3', other: '%NOPE%', n: 5 },
            (name) => settings[name],
        );
        expect(options).toEqual({ token: 'secret', url: 'https://api.example/v3', other: '', n: 5 });
        expect([...missing.entries()]).toEqual([['other', ['NOPE']]]);
        expect(settingReferences({ a: '%X% and %Y%', b: 3, c: '%X%' })).toEqual(['X', 'Y']);
    });
});
