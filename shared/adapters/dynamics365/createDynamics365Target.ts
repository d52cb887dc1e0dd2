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
import { createDataverseCredential } from './dataverseCredential';
import { Dynamics365Target } from './Dynamics365Target';
import { dataverseGuid, defaultLeadSourceCode, dynamicsDefaultQuality } from './dynamicsDefaults';
import { readDataverseSignIn } from './readDataverseSignIn';

/**
 * Options: `environmentUrl`; `auth` (`clientSecret` default, `clientCertificate`, `managedIdentity`) with `tenantId`,
 * `clientId`, `clientSecret` / `certificate` (PEM); optional `alternateKey`, `offerField` (default `subject`),
 * `leadSourceCode` (default 8, Web), `quality` (grade → `leadqualitycode`), `campaigns` (campaign id → Dataverse
 * campaign id), `addNote` (default true), `authorityHost`, `disableInstanceDiscovery`, `timeoutSeconds` (or
 * `timeoutMs`), `credentialExpiresAt` (the client secret's end date, which only Entra knows).
 */
export const createDynamics365Target: TargetFactory = (name, config, deps: TargetDeps) => {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const signIn = readDataverseSignIn(read);
    const alternateKey = read.string('alternateKey', { optional: true });
    const offerField = read.string('offerField', { optional: true }) ?? 'subject';
    const leadSourceCode = read.number('leadSourceCode', defaultLeadSourceCode, { min: 1 });
    const quality = readQuality(read, options, dynamicsDefaultQuality);
    const campaigns = read.valueMap('campaigns');
    for (const [campaign, id] of Object.entries(campaigns ?? {})) {
        if (!dataverseGuid.test(String(id)))
            read.add(`campaigns.${campaign}`, 'must be a Dataverse campaign id (GUID)');
    }
    const addNote = read.boolean('addNote', true);
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    const secretExpiry = parseExpiryOption(read.string('credentialExpiresAt', { optional: true }));
    read.done(mappingProblems(config.mapping, `targets.${name}.mapping`));

    const newCredential = () => createDataverseCredential(signIn, deps.fetch, timeoutMs);
    return new Dynamics365Target(
        name,
        config.role,
        {
            environmentUrl: signIn.environmentUrl,
            alternateKey,
            offerField,
            leadSourceCode,
            quality,
            campaigns,
            addNote,
            credentialKey: signIn.credentialKey,
            mapping: config.mapping,
            credentialExpiresAt: certificateExpiry(signIn.certificate) ?? secretExpiry,
        },
        newCredential,
        new TargetHttp(deps, name, budgetFor(config), timeoutMs),
        deps.logger,
        () => deps.now(),
    );
};
