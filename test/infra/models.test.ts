import { unmodelled, versionGaps } from './armModels';
import { parseBicep, template } from './bicepTemplates';
import { checkAllTemplates, checkTemplate } from './checkTemplates';

const all = checkAllTemplates();

/** The same checks on a copy of one template with `from` replaced by `to`. */
function mutated(file: string, from: string | RegExp, to: string) {
    const source = template(file).source;
    const changed = source.replace(from, to);
    if (changed === source) throw new Error(`${String(from)} is not in infra/${file}`);
    return checkTemplate({ file: `${file}#mutated`, source: changed, root: parseBicep(changed) }).errors.join('\n');
}

describe("templates against Microsoft's resource models (@azure/arm-* mappers) and the cited service limits", () => {
    it('when every resource in infra/ is checked, then no property, value or limit is wrong', () => {
        expect(all.errors).toEqual([]);
    });

    it('when a resource type has no SDK model at its API version, then it is one of the documented ones', () => {
        const types = [...new Set(all.unmodelled.map((u) => /\(([^)]+)\)/.exec(u)![1]!))].sort();
        expect(types).toEqual(Object.keys(unmodelled).sort());
    });

    it('when a template uses another API version than the model, then the gap is documented, and every documented gap is still used', () => {
        expect([...new Set(all.versionMismatches)].sort()).toEqual(Object.keys(versionGaps).sort());
    });

    it('when values are only known in Azure (ids, locations, secrets), then they are reported as unchecked, not passed as valid', () => {
        expect(all.unchecked.length).toBeGreaterThan(0);
        expect(all.unchecked).toEqual(
            expect.arrayContaining([expect.stringMatching(/Microsoft\.Web\/sites\)\.properties\.serverFarmId$/)]),
        );
        expect(all.unchecked.some((u) => /siteConfig|scaleAndConcurrency|runtime/.test(u))).toBe(false);
    });

    it('when a property is misspelled, then the check names it and the known properties', () => {
        expect(mutated('app/api.bicep', 'httpsOnly: true', 'httpsOnyl: true')).toMatch(
            /properties\.httpsOnyl: no such property in Site/,
        );
        expect(mutated('app/storage.bicep', 'allowSharedKeyAccess: false', 'allowSharedKeysAccess: false')).toMatch(
            /allowSharedKeysAccess: no such property/,
        );
    });

    it('when an enum value is wrong, then the check lists the allowed ones', () => {
        expect(mutated('app/api.bicep', "type: 'blobContainer'", "type: 'blobStorage'")).toMatch(
            /not one of blobContainer/,
        );
        expect(mutated('app/storage.bicep', "kind: 'StorageV2'", "kind: 'StorageV3'")).toMatch(
            /kind: not one of .*StorageV2/,
        );
        expect(mutated('app/alerts.bicep', "timeAggregation: 'Minimum'", "timeAggregation: 'Min'")).toMatch(
            /timeAggregation/,
        );
        expect(
            mutated(
                'app/alerts.bicep',
                "'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'",
                "'Microsoft.Azure.Monitor.SingleResourceCriteria'",
            ),
        ).toMatch(
            /odata\.type: 'Microsoft\.Azure\.Monitor\.SingleResourceCriteria' is not a known MetricAlertCriteria/,
        );
    });

    it('when a value has the wrong type or breaks a model constraint, then the check fails', () => {
        expect(
            mutated('app/servicebus.bicep', 'requiresDuplicateDetection: true', "requiresDuplicateDetection: 'yes'"),
        ).toMatch(/requiresDuplicateDetection: expected a boolean/);
        expect(
            mutated('app/alerts.bicep', "groupShortName: 'leadalerts'", "groupShortName: 'marketplace-leads'"),
        ).toMatch(/groupShortName: longer than 12/);
    });

    it('when a log search alert looks back 7 days (the old no-leads rule), then the two-day limit fails it', () => {
        expect(mutated('app/alerts.bicep', "window: 'PT15M'", "window: 'P7D'")).toMatch(
            /a log search alert's time range is at most two days/,
        );
        // As the old rule did: a query range built from NO_LEAD_ALERT_DAYS (7 by default, up to 30).
        expect(
            mutated(
                'app/alerts.bicep',
                'windowSize: alert.window',
                "windowSize: alert.window\n      overrideQueryTimeRange: 'P${noLeadAlertDays}D'",
            ),
        ).toMatch(/overrideQueryTimeRange P7D: a log search alert's time range is at most two days/);
    });

    it('when the Flex scale limit or runtime is one the platform rejects, then the check fails', () => {
        expect(mutated('app/api.bicep', '@minValue(40)', '@minValue(1)')).toMatch(
            /maximumInstanceCount 1 is outside 40–1,000/,
        );
        expect(mutated('app/api.bicep', "version: '22'", "version: '20'")).toMatch(
            /Node 20 is not a supported Flex runtime/,
        );
        expect(
            mutated(
                'app/api.bicep',
                'APPLICATIONINSIGHTS_CONNECTION_STRING:',
                "WEBSITE_RUN_FROM_PACKAGE: '1'\n  APPLICATIONINSIGHTS_CONNECTION_STRING:",
            ),
        ).toMatch(/app setting WEBSITE_RUN_FROM_PACKAGE is not supported on Flex Consumption/);
    });

    it('when a custom-metric alert would be validated before the metric exists, then skipMetricValidation is required', () => {
        expect(mutated('app/alerts.bicep', 'skipMetricValidation: true', 'skipMetricValidation: false')).toMatch(
            /leads\.hours_since_last_lead needs skipMetricValidation/,
        );
    });
});
