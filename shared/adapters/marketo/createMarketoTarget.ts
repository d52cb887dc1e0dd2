import type { TargetDeps, TargetFactory } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { parseExpiryOption } from '../crmKit/credentialHealth';
import { readQuality } from '../crmKit/crmOptions';
import { mappingProblems } from '../crmKit/fieldMapping';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { defaultMarketoLeadSource } from './marketoDefaults';
import { MarketoTarget } from './MarketoTarget';

/**
 * Options: `baseUrl` (the REST endpoint without `/rest`, e.g. `https://123-ABC-456.mktorest.com`), `clientId`,
 * `clientSecret` (a LaunchPoint custom service of an API-only user); optional `lookupField` (default `email`),
 * `partitionName`, `leadSource` (`Azure Marketplace`), `programName` and `campaigns` (campaign id → program name: Push
 * Lead to Marketo), `pushSource`, `quality`, `timeoutSeconds` (or `timeoutMs`), `credentialExpiresAt`.
 */
export const createMarketoTarget: TargetFactory = (name, config, deps: TargetDeps) => {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const baseUrl = read.url('baseUrl');
    const clientId = read.string('clientId');
    const clientSecret = read.string('clientSecret');
    const lookupField = read.string('lookupField', { optional: true }) ?? 'email';
    const partitionName = read.string('partitionName', { optional: true });
    const leadSource = read.string('leadSource', { optional: true }) ?? defaultMarketoLeadSource;
    const programName = read.string('programName', { optional: true });
    const campaigns = read.valueMap('campaigns');
    const pushSource = read.string('pushSource', { optional: true }) ?? 'Azure Marketplace';
    const quality = readQuality(read, options);
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    const credentialExpiresAt = parseExpiryOption(read.string('credentialExpiresAt', { optional: true }));
    read.done(mappingProblems(config.mapping, `targets.${name}.mapping`));

    return new MarketoTarget(
        name,
        config.role,
        {
            baseUrl: baseUrl.replace(/\/rest$/, ''),
            clientId,
            clientSecret,
            lookupField,
            partitionName,
            leadSource,
            programName,
            campaigns,
            pushSource,
            quality,
            mapping: config.mapping,
            credentialExpiresAt,
        },
        new TargetHttp(deps, name, budgetFor(config), timeoutMs),
        deps.logger,
        () => deps.now(),
    );
};
