import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createDynamics365Target } from '../../../shared/adapters/dynamics365/createDynamics365Target';
import { createHubSpotTarget } from '../../../shared/adapters/hubspot/createHubSpotTarget';
import { createMarketoTarget } from '../../../shared/adapters/marketo/createMarketoTarget';
import { createSalesforceTarget } from '../../../shared/adapters/salesforce/createSalesforceTarget';
import { createTeamsTarget } from '../../../shared/adapters/teams/createTeamsTarget';
import type { TargetConfig, TargetType } from '../../../shared/domain/TargetConfig';
import type { TargetFactory } from '../../../shared/ports/TargetFactory';
import { settingReferences } from '../../../shared/settingReferences';
import { makeDeps } from '../../contract/support/fixtures';

const factories: Partial<Record<TargetType, TargetFactory>> = {
    dynamics365: createDynamics365Target,
    salesforce: createSalesforceTarget,
    hubspot: createHubSpotTarget,
    marketo: createMarketoTarget,
    teams: createTeamsTarget,
};

describe('the default config/pipeline.json CRM targets', () => {
    const config = JSON.parse(readFileSync(join(__dirname, '../../../config/pipeline.json'), 'utf8')) as {
        targets: Record<string, TargetConfig>;
    };
    const crmTargets = Object.entries(config.targets).filter(([, t]) => factories[t.type] !== undefined);

    it('when it is read, then it lists one target of every CRM type, each enabled "auto"', () => {
        expect(new Set(crmTargets.map(([, t]) => t.type))).toEqual(new Set(Object.keys(factories)));
        expect(crmTargets.every(([, t]) => t.enabled === 'auto')).toBe(true);
    });

    it.each(Object.keys(factories))(
        'when every setting of the %s target has a value, then the adapter accepts its options',
        (type) => {
            for (const [name, target] of crmTargets.filter(([, t]) => t.type === type)) {
                // Realistic values where an adapter checks the shape: a Teams Workflows URL, a Salesforce My Domain.
                const urlFor = (n: string) =>
                    n.startsWith('TEAMS')
                        ? 'https://prod-1.westeurope.logic.azure.com/workflows/w1/triggers/manual/paths/invoke?sig=s'
                        : n.startsWith('SALESFORCE')
                          ? 'https://contoso.my.salesforce.com'
                          : 'https://example.test';
                const settings = Object.fromEntries(
                    settingReferences(target.options).map((n) => [n, /URL/.test(n) ? urlFor(n) : 'value']),
                );
                const built = factories[type as TargetType]!(name, target, makeDeps(settings));
                expect(built).toMatchObject({ name, type, role: target.role });
            }
        },
    );
});
