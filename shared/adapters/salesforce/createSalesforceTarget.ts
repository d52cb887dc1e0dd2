import type { TargetDeps, TargetFactory } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { certificateExpiry } from '../crmKit/certificateExpiry';
import { parseExpiryOption } from '../crmKit/credentialHealth';
import { readQuality } from '../crmKit/crmOptions';
import { mappingProblems } from '../crmKit/fieldMapping';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { readSalesforceAuth } from './readSalesforceAuth';
import {
    defaultApiVersion,
    defaultLeadSource,
    defaultWebToLeadUrl,
    salesforceDefaultQuality,
} from './salesforceDefaults';
import { type AssignmentRules, SalesforceTarget } from './SalesforceTarget';
import { WebToLeadTarget } from './WebToLeadTarget';

/**
 * Options, REST mode (default): `loginUrl` (the org's My Domain URL for client credentials), `auth`
 * (`client-credentials` default | `jwt-bearer`), `clientId`, `clientSecret` or `username` + `privateKey` (+ optional
 * `certificate` PEM for expiry, `audience`), `externalIdField`, optional `apiVersion`, `duplicateRule` (`fail` |
 * `allowSave`), `assignmentRules` (`onCreate` | `always` | `never` | an AssignmentRule id), `leadSource` (`Web`),
 * `countryField` (`CountryCode` | `Country`), `quality`, `campaigns`, `createTask`, `sessionTtlMinutes`,
 * `requestLimitRetryMinutes`, `timeoutSeconds` (or `timeoutMs`), `credentialExpiresAt`.
 * Web-to-Lead mode (`mode: "web-to-lead"`): `oid` (or `orgId`), optional `webToLeadUrl`, `leadSource`.
 */
export const createSalesforceTarget: TargetFactory = (name, config, deps: TargetDeps) => {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const mode = read.oneOf('mode', ['rest', 'web-to-lead'] as const, 'rest');
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    const mappingIssues = mappingProblems(config.mapping, `targets.${name}.mapping`);
    const http = new TargetHttp(deps, name, budgetFor(config), timeoutMs);
    const now = () => deps.now();
    const leadSource = read.string('leadSource', { optional: true }) ?? defaultLeadSource;

    if (mode === 'web-to-lead') {
        const key = options.orgId !== undefined && options.oid === undefined ? 'orgId' : 'oid';
        const oid = read.string(key);
        // The org id: 15 characters (18 with its case-safe suffix), starting 00D.
        if (oid !== undefined && !/^00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/u.test(oid))
            read.add(key, 'must be the org id (00D…, 15 or 18 characters)');
        const url = read.url('webToLeadUrl', { optional: true, default: defaultWebToLeadUrl });
        read.done(mappingIssues);
        return new WebToLeadTarget(
            name,
            config.role,
            { url: url!, oid, leadSource, mapping: config.mapping },
            http,
            deps.logger,
            now,
        );
    }

    const { auth, certificate } = readSalesforceAuth(read);
    const externalIdField = read.string('externalIdField');
    if (externalIdField !== undefined && !/^\w+$/.test(externalIdField))
        read.add('externalIdField', 'must be a field API name');
    const apiVersion = read.string('apiVersion', { optional: true }) ?? defaultApiVersion;
    const duplicateRule = read.oneOf('duplicateRule', ['fail', 'allowSave'] as const, 'fail');
    const assignmentRules = readAssignmentRules(read);
    const countryField = read.oneOf('countryField', ['CountryCode', 'Country'] as const, 'CountryCode');
    const quality = readQuality(read, options, salesforceDefaultQuality);
    const campaigns = read.valueMap('campaigns');
    for (const [campaign, id] of Object.entries(campaigns ?? {})) {
        if (!/^701[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/u.test(String(id)))
            read.add(`campaigns.${campaign}`, 'must be a Salesforce Campaign id (701…)');
    }
    const createTask = read.boolean('createTask', true);
    const sessionTtlMs = read.number('sessionTtlMinutes', 60, { min: 5, max: 24 * 60 }) * 60_000;
    const requestLimitRetryMs = read.number('requestLimitRetryMinutes', 60, { min: 1, max: 24 * 60 }) * 60_000;
    const secretExpiry = parseExpiryOption(read.string('credentialExpiresAt', { optional: true }));
    read.done(mappingIssues);

    const countryMapping: Record<string, string> =
        countryField === 'Country' ? { CountryCode: '', Country: 'country' } : {};
    return new SalesforceTarget(
        name,
        config.role,
        {
            auth,
            apiVersion,
            externalIdField,
            duplicateRule,
            assignmentRules,
            leadSource,
            quality,
            campaigns,
            createTask,
            sessionTtlMs,
            requestLimitRetryMs,
            mapping: { ...countryMapping, ...config.mapping },
            credentialExpiresAt: certificateExpiry(certificate) ?? secretExpiry,
        },
        http,
        deps.logger,
        now,
    );
};

function readAssignmentRules(read: OptionsReader): AssignmentRules {
    const value = read.string('assignmentRules', { optional: true });
    if (value === undefined) return 'onCreate';
    if (value === 'onCreate' || value === 'always' || value === 'never') return value;
    if (/^01Q[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/u.test(value)) return value as AssignmentRules;
    read.add('assignmentRules', 'must be onCreate, always, never or an AssignmentRule id (01Q…)');
    return 'onCreate';
}
