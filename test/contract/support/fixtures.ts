import type { LeadDecision } from '../../../shared/domain/Decision';
import type { Lead } from '../../../shared/domain/Lead';
import type { DeliveryRequest } from '../../../shared/ports/DeliveryTarget';
import type { Logger } from '../../../shared/ports/Logger';
import type { TargetDeps } from '../../../shared/ports/TargetFactory';
import { InMemoryRateGovernor } from '../../fakes/InMemoryRateGovernor';

export const personalData = ['ada@contoso.example', 'Augusta', 'Lovelace', '+14255550100', 'Please call me after 5'];

export function makeLead(overrides: Partial<Lead> = {}): Lead {
    return {
        leadKey: 'lk-0001',
        personKey: 'pk-ada-offer',
        channel: 'https',
        receivedAt: '2026-11-20T10:00:00.000Z',
        contact: {
            firstName: 'Augusta',
            lastName: 'Lovelace',
            email: 'ada@contoso.example',
            emailNormalised: 'ada@contoso.example',
            emailDomain: 'contoso.example',
            emailDomainClass: 'corporate',
            phone: '+14255550100',
            phoneE164: '+14255550100',
            country: 'United States',
            countryCode: 'US',
            company: 'Contoso',
            title: 'CTO',
        },
        source: {
            raw: 'AzureMarketplace-INS|contoso.analytics',
            kind: 'AzureMarketplace',
            offerRef: 'contoso.analytics',
        },
        action: { code: 'INS', meaning: 'install' },
        offer: { title: 'Contoso Analytics', publisherId: 'contoso', offerId: 'analytics' },
        description: {
            raw: 'Please call me after 5',
            notes: 'Please call me after 5',
            campaign: { mktcmpid: 'spring', params: {} },
        },
        flags: { isTest: false, missingContact: false, isEducation: false },
        unknownKeys: [],
        truncatedFields: {},
        ...overrides,
    };
}

export function makeDecision(): LeadDecision {
    return {
        configVersion: 'v1',
        decidedAt: '2026-11-20T10:00:01.000Z',
        qualification: { outcome: 'qualified', reasons: [{ ruleId: 'corporate-email', description: 'corporate' }] },
        score: { points: 72, grade: 'A', breakdown: [] },
        route: {
            mode: 'all-matching',
            matchedRules: [{ ruleId: 'grade-a-to-sales', description: 'A leads go to sales' }],
            usedDefault: false,
            targets: [{ target: 'sales', role: 'outreach', matchedRules: ['grade-a-to-sales'] }],
        },
    };
}

export function makeRequest(target: string, overrides: Partial<DeliveryRequest> = {}): DeliveryRequest {
    return {
        lead: makeLead(),
        decision: makeDecision(),
        target,
        idempotencyKey: `lk-0001:${target}`,
        attempt: 1,
        ...overrides,
    };
}

export interface TestDeps extends TargetDeps {
    logs: { level: string; message: string; data?: Record<string, unknown> }[];
}

export function makeDeps(settings: Record<string, string>, overrides: Partial<TargetDeps> = {}): TestDeps {
    const logs: TestDeps['logs'] = [];
    const log =
        (level: string) =>
        (message: string, data?: Record<string, unknown>): void => {
            logs.push({ level, message, data });
        };
    const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    const now = () => new Date();
    return {
        setting: (name) => settings[name],
        logger,
        now,
        fetch: globalThis.fetch,
        rateGovernor: new InMemoryRateGovernor({ now }),
        logs,
        ...overrides,
    };
}

/** Fails when any personal value of the fixture lead appears in the given text (logs, error messages). */
export function expectNoPersonalData(text: string): void {
    for (const value of personalData) {
        if (text.includes(value)) throw new Error(`personal data leaked: ${value.slice(0, 2)}…`);
    }
}
