import {
    ConfigError,
    type CrmRecordRef,
    defaultRetentionDays,
    emailHashOf,
    emailKeyOf,
    emailKeyOfLead,
    emailKeysIn,
    erasureStatusOf,
    leadMatchesOffer,
    mergeTargetOutcome,
    parseMarketplaceCallback,
    parsePipelineConfig,
    planTargetErasures,
    privacyPolicyOf,
    retentionCutoffs,
    targetErasurePolicyOf,
} from '../../../shared/domain';
import { defaultConfigJson } from './support/samples';

const key = (fill: number) => new Uint8Array(32).fill(fill);

function problemsOf(privacy: unknown): { path: string; message: string }[] {
    try {
        parsePipelineConfig({ ...defaultConfigJson(), privacy });
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
    return [];
}

describe("an email's lookup key and keyed hash", () => {
    it('when the same address is written in another case or with spaces around it, then its key is the same', () => {
        const key1 = emailKeyOf('Jana.Novakova@Example.cz');

        expect(key1).toMatch(/^ek-[0-9a-f]{40}$/u);
        expect(emailKeyOf('  jana.novakova@example.CZ ')).toBe(key1);
        expect(emailKeyOf('jana.novak@example.cz')).not.toBe(key1);
    });

    it('when a Czech or Turkish address carries diacritics, then the key folds their case but keeps the letters apart', () => {
        expect(emailKeyOf('JIŘÍ.ČERNÝ@FIRMA.CZ')).toBe(emailKeyOf('jiří.černý@firma.cz'));
        expect(emailKeyOf('AYŞE.GÜNDOĞDU@SIRKET.COM.TR')).toBe(emailKeyOf('ayşe.gündoğdu@sirket.com.tr'));
        // Composed and decomposed forms of the same letters are one address (NFKC).
        expect(emailKeyOf('ji\u0072\u030C\u0069@firma.cz')).toBe(emailKeyOf('jiři@firma.cz'));
        expect(emailKeyOf('jiří.černý@firma.cz')).not.toBe(emailKeyOf('jiri.cerny@firma.cz'));
        expect(emailKeyOf('ayşe@şirket.com.tr')).not.toBe(emailKeyOf('ayse@sirket.com.tr'));
    });

    it('when two addresses differ only by a letter that case folding would join (ı and i, ß and ss), then they are two people', () => {
        expect(emailKeyOf('yılmaz@ornek.com.tr')).not.toBe(emailKeyOf('yilmaz@ornek.com.tr'));
        expect(emailKeyOf('straße@firma.de')).not.toBe(emailKeyOf('strasse@firma.de'));
        const key = new Uint8Array(32).fill(7);
        expect(emailHashOf('yılmaz@ornek.com.tr', key)).not.toBe(emailHashOf('yilmaz@ornek.com.tr', key));
        const parsed = (email: string) =>
            parseMarketplaceCallback(JSON.stringify({ userDetails: { email }, actionCode: 'INS', offerTitle: 'X' }), {
                receivedAt: '2026-11-21T06:00:00.000Z',
            });
        // Their journeys (person keys) stay apart too, so one CRM record is never updated with the other's lead.
        expect(parsed('yılmaz@ornek.com.tr').personKey).not.toBe(parsed('yilmaz@ornek.com.tr').personKey);
        expect(emailKeyOfLead(parsed('Yılmaz@Ornek.com.tr'))).toBe(emailKeyOf('yılmaz@ornek.com.tr'));
    });

    it('when a lead is parsed, then its key is the one an erasure computes from the address the person gives', () => {
        const lead = parseMarketplaceCallback(
            JSON.stringify({ userDetails: { email: 'Ayşe.Yılmaz@Örnek.com.tr' }, actionCode: 'INS', offerTitle: 'X' }),
            { receivedAt: '2026-11-21T06:00:00.000Z' },
        );

        expect(emailKeyOfLead(lead)).toBe(emailKeyOf('ayşe.yılmaz@örnek.com.tr'));
        expect(emailKeyOfLead({ contact: { emailDomainClass: 'unknown' } } as never)).toBeUndefined();
    });

    it('when the tombstone hash is made, then it depends on the key, differs from the lookup key and folds case', () => {
        const email = 'ilse.erasmus@fabrikam.example';

        expect(emailHashOf(email, key(1))).toMatch(/^eh-[0-9a-f]{40}$/u);
        expect(emailHashOf(email.toUpperCase(), key(1))).toBe(emailHashOf(email, key(1)));
        expect(emailHashOf(email, key(2))).not.toBe(emailHashOf(email, key(1)));
        expect(emailHashOf(email, key(1)).slice(3)).not.toBe(emailKeyOf(email).slice(3));
    });
});

describe('addresses in a payload that was not a lead', () => {
    it('when an address sits in JSON, XML, a query string or a sentence, then its key is found', () => {
        const email = 'petra.svobodova@example.cz';
        const wanted = emailKeyOf(email);

        for (const text of [
            `["${email.toUpperCase()}"`,
            `<contact><mail>${email}</mail></contact>`,
            `name=Petra&email=${email}&phone=1`,
            `Write to ${email}.`,
            `mailto:${email}`,
        ]) {
            expect(emailKeysIn(text).has(wanted)).toBe(true);
        }
        expect(emailKeysIn('no address here, only @ and a.b').size).toBe(0);
    });

    it('when the text is hostile, then at most max keys are made and tokens longer than an address are skipped', () => {
        const many = Array.from({ length: 50 }, (_, i) => `p${i}@example.cz`).join(' ');

        expect(emailKeysIn(many, 10).size).toBe(10);
        expect(emailKeysIn(`${'a'.repeat(300)}@example.cz`).size).toBe(0);
        expect(emailKeysIn('@'.repeat(200_000)).size).toBe(0);
    });
});

describe('the privacy section of pipeline.json', () => {
    it('when it is absent, then the documented defaults apply and no target erases', () => {
        const policy = privacyPolicyOf(parsePipelineConfig(defaultConfigJson()).privacy);

        expect(policy).toEqual({
            retentionDays: { leads: 365, rawBodies: 30, invalidPayloads: 30, parkedEvents: 30, durableHistories: 30 },
            eraseInTargets: [],
        });
        expect(defaultRetentionDays.leads).toBe(365);
    });

    it('when some periods are given, then they replace only their defaults; a target listed twice counts once', () => {
        const config = parsePipelineConfig({
            ...defaultConfigJson(),
            privacy: { retentionDays: { leads: 180, rawBodies: 7 }, eraseInTargets: ['hubspot', 'hubspot', 'marketo'] },
        });

        expect(privacyPolicyOf(config.privacy)).toEqual({
            retentionDays: { leads: 180, rawBodies: 7, invalidPayloads: 30, parkedEvents: 30, durableHistories: 30 },
            eraseInTargets: ['hubspot', 'marketo'],
        });
    });

    it('when a period is zero, negative, over ten years or unknown, then the config is refused with its path', () => {
        expect(problemsOf({ retentionDays: { leads: 0 } }).map((p) => p.path)).toEqual(['privacy.retentionDays.leads']);
        expect(problemsOf({ retentionDays: { rawBodies: -1 } }).map((p) => p.path)).toEqual([
            'privacy.retentionDays.rawBodies',
        ]);
        expect(problemsOf({ retentionDays: { leads: 3651 } }).map((p) => p.path)).toEqual([
            'privacy.retentionDays.leads',
        ]);
        expect(problemsOf({ retentionDays: { backups: 10 } })).not.toEqual([]);
    });

    it('when eraseInTargets names a target that is not defined or a notification target, then the config is refused', () => {
        expect(problemsOf({ eraseInTargets: ['nope'] })).toEqual([
            { path: 'privacy.eraseInTargets[0]', message: 'target "nope" is not defined in targets' },
        ]);
        expect(problemsOf({ eraseInTargets: ['hubspot', 'salesTeams'] })).toEqual([
            { path: 'privacy.eraseInTargets[1]', message: 'a teams target cannot delete what it received' },
        ]);
    });

    it('when cutoffs are computed, then each kind is its period before now', () => {
        const now = new Date('2026-12-01T03:30:00.000Z');
        const cutoffs = retentionCutoffs(privacyPolicyOf({ retentionDays: { leads: 365, parkedEvents: 0.5 } }), now);

        expect(cutoffs.leads.toISOString()).toBe('2025-12-01T03:30:00.000Z');
        expect(cutoffs.rawBodies.toISOString()).toBe('2026-11-01T03:30:00.000Z');
        expect(cutoffs.parkedEvents.toISOString()).toBe('2026-11-30T15:30:00.000Z');
    });
});

describe("an erasure's part in each target", () => {
    const targets = {
        hubspot: { type: 'hubspot' },
        marketo: { type: 'marketo' },
        dynamics: { type: 'dynamics365' },
        leadWebhook: { type: 'webhook' },
    } as const;
    const records: CrmRecordRef[] = [
        { target: 'hubspot', recordId: '101', leadId: 'lk-1' },
        { target: 'hubspot', recordId: '101', leadId: 'lk-2' },
        { target: 'marketo', recordId: '7', leadId: 'lk-1' },
        { target: 'leadWebhook', recordId: 'delivery-1', leadId: 'lk-1' },
        { target: 'dynamics', recordId: '0b0e6a2c-0000-4000-8000-000000000001', leadId: 'lk-1' },
    ];

    it('when targets are listed, unlisted, unconfigured or notifications, then each gets its mode and what stays is named', () => {
        const policy = targetErasurePolicyOf(targets, ['hubspot', 'dynamics', 'salesforce'], ['hubspot', 'marketo']);

        const plan = planTargetErasures(records, policy);

        expect(plan.map((p) => [p.target, p.mode, p.remaining])).toEqual([
            ['dynamics', 'not-configured', ['0b0e6a2c-0000-4000-8000-000000000001']],
            ['hubspot', 'erase', []],
            ['leadWebhook', 'not-supported', ['delivery-1']],
            ['marketo', 'not-enabled', ['7']],
            ['salesforce', 'not-supported', []],
        ]);
        expect(erasureStatusOf({ targets: plan, marketplaceTable: { status: 'not-requested', rows: 0 } })).toBe(
            'completed-with-errors',
        );
    });

    it('when a record failed and a retry deleted it, then it is no longer a failure and the erasure is completed', () => {
        const plan = planTargetErasures(
            records.filter((r) => r.target === 'hubspot'),
            targetErasurePolicyOf(targets, ['hubspot'], ['hubspot']),
        );
        const failedOnce = mergeTargetOutcome(plan, {
            target: 'hubspot',
            erased: [],
            absent: [],
            failed: [{ recordId: '101', error: 'TransientError: 503', httpStatus: 503, attempts: 8 }],
        });
        const retried = mergeTargetOutcome(failedOnce, { target: 'hubspot', erased: ['101'], absent: [], failed: [] });
        const table = { status: 'not-requested', rows: 0 } as const;

        expect(erasureStatusOf({ targets: failedOnce, marketplaceTable: table })).toBe('completed-with-errors');
        expect(retried[0]).toMatchObject({ erased: ['101'], failed: [] });
        expect(erasureStatusOf({ targets: retried, marketplaceTable: table })).toBe('completed');
        expect(erasureStatusOf({ targets: retried, marketplaceTable: { status: 'no-write-access', rows: 0 } })).toBe(
            'completed-with-errors',
        );
    });

    it('when an erasure is narrowed to an offer, then a lead matches by title, offer id or publisher.offer, normalised', () => {
        const lead = {
            offer: { title: 'Contoso Analýza', offerId: 'analytics', publisherId: 'contoso' },
            source: { offerRef: 'contoso.analytics' },
        } as never;

        expect(leadMatchesOffer(lead, 'CONTOSO ANALÝZA')).toBe(true);
        expect(leadMatchesOffer(lead, 'contoso.analytics')).toBe(true);
        expect(leadMatchesOffer(lead, 'analytics')).toBe(true);
        expect(leadMatchesOffer(lead, 'Contoso Analyza')).toBe(false);
        expect(leadMatchesOffer(lead, '  ')).toBe(false);
    });
});
