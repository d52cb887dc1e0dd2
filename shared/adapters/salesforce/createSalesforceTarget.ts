import type { TargetDeps, TargetFactory } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { certificateExpiry } from '../crmKit/certificateExpiry';
import { parseExpiryOption } from '../crmKit/credentialHealth';
import { mappingProblems } from '../crmKit/fieldMapping';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import type { SalesforceAuthOptions } from './salesforceAuth';
import { defaultApiVersion, defaultLoginUrl, defaultWebToLeadUrl } from './salesforceDefaults';
import { SalesforceTarget } from './SalesforceTarget';
import { WebToLeadTarget } from './WebToLeadTarget';

/**
 * Options, REST mode (default): `loginUrl`, `auth` (`client-credentials` default | `jwt-bearer`), `clientId`,
 * `clientSecret` or `username` + `privateKey` (+ optional `certificate` PEM for expiry, `audience`),
 * `externalIdField`, optional `apiVersion`, `duplicateRule` (`fail` | `allowSave`), `sessionTtlMinutes`,
 * `requestLimitRetryMinutes`, `timeoutSeconds` (or `timeoutMs`), `credentialExpiresAt`.
 * Web-to-Lead mode (`mode: "web-to-lead"`): `oid`, optional `webToLeadUrl`.
 */
export const createSalesforceTarget: TargetFactory = (name, config, deps: TargetDeps) => {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const mode = read.oneOf('mode', ['rest', 'web-to-lead'] as const, 'rest');
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    const mappingIssues = mappingProblems(config.mapping, `targets.${name}.mapping`);
    const http = new TargetHttp(deps, name, budgetFor(config), timeoutMs);
    const now = () => deps.now();

    if (mode === 'web-to-lead') {
        const oid = read.string('oid');
        const url = read.url('webToLeadUrl', { optional: true, default: defaultWebToLeadUrl });
        read.done(mappingIssues);
        return new WebToLeadTarget(
            name,
            config.role,
            { url: url!, oid, mapping: config.mapping },
            http,
            deps.logger,
            now,
        );
    }

    const loginUrl = read.url('loginUrl', { optional: true, default: defaultLoginUrl })!;
    const flow = read.oneOf('auth', ['client-credentials', 'jwt-bearer'] as const, 'client-credentials');
    const clientId = read.string('clientId');
    let auth: SalesforceAuthOptions;
    let certificate: string | undefined;
    if (flow === 'jwt-bearer') {
        const username = read.string('username');
        const privateKey = read.string('privateKey');
        if (privateKey !== undefined && !privateKey.includes('PRIVATE KEY'))
            read.add('privateKey', 'must be a PEM private key');
        certificate = read.string('certificate', { optional: true });
        const audience = read.string('audience', { optional: true }) ?? loginUrl;
        auth = { flow, loginUrl, clientId, username, privateKey, audience };
    } else {
        auth = { flow, loginUrl, clientId, clientSecret: read.string('clientSecret') };
    }
    const externalIdField = read.string('externalIdField');
    if (externalIdField !== undefined && !/^\w+$/.test(externalIdField))
        read.add('externalIdField', 'must be a field API name');
    const apiVersion = read.string('apiVersion', { optional: true }) ?? defaultApiVersion;
    const duplicateRule = read.oneOf('duplicateRule', ['fail', 'allowSave'] as const, 'fail');
    const sessionTtlMs = read.number('sessionTtlMinutes', 60, { min: 5, max: 24 * 60 }) * 60_000;
    const requestLimitRetryMs = read.number('requestLimitRetryMinutes', 60, { min: 1, max: 24 * 60 }) * 60_000;
    const secretExpiry = parseExpiryOption(read.string('credentialExpiresAt', { optional: true }));
    read.done(mappingIssues);

    return new SalesforceTarget(
        name,
        config.role,
        {
            auth,
            apiVersion,
            externalIdField,
            duplicateRule,
            sessionTtlMs,
            requestLimitRetryMs,
            mapping: config.mapping,
            credentialExpiresAt: certificateExpiry(certificate) ?? secretExpiry,
        },
        http,
        deps.logger,
        now,
    );
};
