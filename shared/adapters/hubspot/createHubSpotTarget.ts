import type { TargetDeps, TargetFactory } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { parseExpiryOption } from '../crmKit/credentialHealth';
import { readQuality } from '../crmKit/crmOptions';
import { mappingProblems } from '../crmKit/fieldMapping';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { defaultHubSpotBaseUrl, hubspotDefaultCreateProperties, hubspotDefaultQuality } from './hubspotDefaults';
import { HubSpotTarget } from './HubSpotTarget';

/**
 * Options: `token` (private-app access token, `%SETTING%`), optional `baseUrl`, `idProperty` (default `email`),
 * `createNote` (default true), `createProperties` (set on new contacts, default `hs_lead_status: NEW`), `quality`
 * (grade → a new contact's `lifecyclestage`), `timeoutSeconds` (or `timeoutMs`), `credentialExpiresAt` (ISO date the
 * token is rotated by).
 */
export const createHubSpotTarget: TargetFactory = (name, config, deps: TargetDeps) => {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const token = read.string('token');
    const baseUrl = read.url('baseUrl', { optional: true, default: defaultHubSpotBaseUrl });
    const idProperty = read.string('idProperty', { optional: true }) ?? 'email';
    const createNote = read.boolean('createNote', true);
    const given = read.valueMap('createProperties');
    const createProperties =
        given === undefined
            ? hubspotDefaultCreateProperties
            : Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)]));
    const quality = readQuality(read, options, hubspotDefaultQuality);
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    const credentialExpiresAt = parseExpiryOption(read.string('credentialExpiresAt', { optional: true }));
    read.done(mappingProblems(config.mapping, `targets.${name}.mapping`));

    const http = new TargetHttp(deps, name, budgetFor(config), timeoutMs);
    return new HubSpotTarget(
        name,
        config.role,
        {
            baseUrl: baseUrl!,
            token,
            idProperty,
            createNote,
            createProperties,
            quality,
            mapping: config.mapping,
            credentialExpiresAt,
        },
        http,
        deps.logger,
        () => deps.now(),
    );
};
