import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Case {
    name: string;
    via: 'webhook' | 'table';
    body: string | Record<string, unknown>;
    expect: { status: string; outcome?: string; deliveries: number };
    /** The case repeats an earlier one: it must name the same lead and add nothing. */
    duplicateOf?: string;
}

/** One lead of every kind the marketplace docs describe, with the outcome the demo expects. */
export function demoCases(root: string, now: string): Case[] {
    const fixture = (name: string) => readFileSync(join(root, 'test/fixtures/leads', name), 'utf8');
    const row = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>;
    return [
        {
            name: 'documented example (PascalCase)',
            via: 'webhook',
            body: fixture('marketplace/https-documented-example.json'),
            expect: { status: 'delivered', deliveries: 1 },
        },
        {
            name: 'Contact me (camelCase)',
            via: 'webhook',
            body: fixture('marketplace/https-camelcase-contact-me.json'),
            expect: { status: 'delivered', outcome: 'qualified', deliveries: 1 },
        },
        {
            name: 'campaign JSON in Description',
            via: 'webhook',
            body: fixture('https-pascal-campaign.json'),
            expect: { status: 'delivered', outcome: 'qualified', deliveries: 1 },
        },
        {
            name: 'free mail, mixed casing',
            via: 'webhook',
            body: fixture('https-mixed-free-mail-de.json'),
            expect: { status: 'delivered', deliveries: 1 },
        },
        {
            name: '.edu without contact data',
            via: 'webhook',
            body: fixture('https-edu-no-contact.json'),
            expect: { status: 'delivered', outcome: 'incomplete', deliveries: 1 },
        },
        {
            name: 'DNC (notify only)',
            via: 'webhook',
            body: fixture('https-dnc-partner.json'),
            expect: { status: 'delivered', outcome: 'do-not-contact', deliveries: 1 },
        },
        {
            name: 'disposable email, unknown action',
            via: 'webhook',
            body: fixture('https-disposable-unknown-action.json'),
            expect: { status: 'delivered', outcome: 'disqualified', deliveries: 1 },
        },
        {
            name: 'marketplace test lead',
            via: 'webhook',
            body: fixture('marketplace/https-test-lead.json'),
            expect: { status: 'destination-validated', outcome: 'test', deliveries: 0 },
        },
        {
            name: 'duplicate callback',
            via: 'webhook',
            body: fixture('https-pascal-campaign.json'),
            expect: { status: 'delivered', deliveries: 1 },
            duplicateOf: 'campaign JSON in Description',
        },
        {
            name: 'table row of the Contact me lead',
            via: 'table',
            body: { ...row('table-row-contact-me.json'), CreatedTime: now },
            expect: { status: 'delivered', deliveries: 1 },
            duplicateOf: 'Contact me (camelCase)',
        },
        {
            name: 'table row, test lead',
            via: 'table',
            body: { ...row('marketplace/table-row-test-lead.json'), CreatedTime: now },
            expect: { status: 'destination-validated', outcome: 'test', deliveries: 0 },
        },
        {
            name: 'table row, new lead',
            via: 'table',
            body: {
                CustomerInfo: JSON.stringify({
                    FirstName: 'Ren',
                    LastName: 'Ito',
                    Email: 'ren.ito@northwind.example',
                    Company: 'Northwind',
                    Title: 'CTO',
                    Country: 'Japan',
                }),
                ActionCode: 'Create',
                LeadSource: 'AzurePortal-Create|contoso.contoso-analytics',
                OfferDisplayName: 'Contoso Analytics',
                CreatedTime: now,
            },
            expect: { status: 'delivered', outcome: 'qualified', deliveries: 1 },
        },
    ];
}
