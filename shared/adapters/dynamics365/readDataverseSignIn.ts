import type { OptionsReader } from '../crmKit/OptionsReader';
import type { DataverseAuth, DataverseCredentialOptions } from './dataverseCredential';

const auths: readonly DataverseAuth[] = ['clientSecret', 'clientCertificate', 'managedIdentity'];

export interface DataverseSignIn extends DataverseCredentialOptions {
    environmentUrl: string;
    /** What tells two sign-ins apart, for the shared token cache (the delivery target and the eraser share one). */
    credentialKey: string;
}

/**
 * The environment and sign-in options of a Dataverse target, read one way for delivery and for erasure, so an eraser
 * never accepts an option the target refuses (a certificate without its private key) or signs in differently.
 */
export function readDataverseSignIn(read: OptionsReader): DataverseSignIn {
    const environmentUrl = read.url('environmentUrl');
    const auth = read.oneOf('auth', auths, 'clientSecret');
    const managed = auth === 'managedIdentity';
    const tenantId = managed ? undefined : read.string('tenantId');
    const clientId = managed ? read.string('clientId', { optional: true }) : read.string('clientId');
    const clientSecret = auth === 'clientSecret' ? read.string('clientSecret') : undefined;
    const certificate = auth === 'clientCertificate' ? read.string('certificate') : undefined;
    if (certificate !== undefined && !certificate.includes('PRIVATE KEY')) {
        read.add('certificate', 'must be a PEM holding the private key and the certificate');
    }
    const authorityHost = read.url('authorityHost', { optional: true });
    const disableInstanceDiscovery = read.boolean('disableInstanceDiscovery', false);
    return {
        environmentUrl,
        auth,
        tenantId,
        clientId,
        clientSecret,
        certificate,
        authorityHost,
        disableInstanceDiscovery,
        credentialKey: [auth, tenantId, clientId, clientSecret, certificate, authorityHost].join('|'),
    };
}
