import type { TokenCredential } from '@azure/core-auth';
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';

import { PermanentError, TransientError } from '../../domain/index';
import { fetchHttpClient } from '../crmKit/fetchHttpClient';
import type { Token } from '../crmKit/TokenCache';

export type DataverseAuth = 'clientSecret' | 'clientCertificate' | 'managedIdentity';

export interface DataverseCredentialOptions {
    auth: DataverseAuth;
    tenantId?: string;
    clientId?: string;
    clientSecret?: string;
    /** PEM holding the private key and the certificate. */
    certificate?: string;
    authorityHost?: string;
    disableInstanceDiscovery: boolean;
}

/** Builds the `@azure/identity` credential; every token request goes through the target's `fetch` and timeout. */
export function createDataverseCredential(
    options: DataverseCredentialOptions,
    fetchFn: typeof fetch,
    timeoutMs?: number,
): TokenCredential {
    const common = {
        httpClient: fetchHttpClient(fetchFn, timeoutMs),
        authorityHost: options.authorityHost,
        disableInstanceDiscovery: options.disableInstanceDiscovery,
        retryOptions: { maxRetries: 1 },
    };
    switch (options.auth) {
        case 'clientCertificate':
            return new ClientCertificateCredential(
                options.tenantId!,
                options.clientId!,
                { certificate: options.certificate! },
                common,
            );
        case 'managedIdentity':
            return new ManagedIdentityCredential({ clientId: options.clientId, httpClient: common.httpClient });
        default:
            return new ClientSecretCredential(options.tenantId!, options.clientId!, options.clientSecret!, common);
    }
}

/** Asks the credential for a Dataverse token (`<environmentUrl>/.default`), translating identity errors. */
export async function dataverseToken(
    credential: TokenCredential,
    environmentUrl: string,
    target: string,
): Promise<Token> {
    try {
        const token = await credential.getToken(`${environmentUrl}/.default`);
        if (!token) throw new TransientError(`${target}: no token returned`, { code: 'no-token' });
        return { accessToken: token.token, expiresAtMs: token.expiresOnTimestamp };
    } catch (err) {
        throw translateIdentityError(err, target);
    }
}

const permanentOAuthErrors =
    /invalid_client|unauthorized_client|invalid_scope|invalid_request|invalid_grant|invalid_resource/;

/**
 * MSAL's client error codes for an identity endpoint that did not answer (msal-common `ClientAuthErrorCodes`: the
 * authority's metadata could not be fetched, a request failed, no network); identity reports them as
 * `CredentialUnavailableError`, but they are the network, and pass later.
 */
const unreachable = /endpoints_resolution_error|network_error|no_network_connectivity/u;

/** Rejected credentials (wrong or expired secret, unknown app or tenant) are permanent; the rest may pass later. */
export function translateIdentityError(err: unknown, target: string): TransientError | PermanentError {
    if (err instanceof TransientError || err instanceof PermanentError) return err;
    const name = err instanceof Error ? err.name : 'Error';
    const message = err instanceof Error ? err.message : '';
    const network = unreachable.exec(message)?.[0];
    if (network !== undefined) {
        return new TransientError(`${target}: token endpoint not reachable (${network})`, {
            code: 'token-unavailable',
        });
    }
    const aadsts = /AADSTS\d+/.exec(message)?.[0];
    const oauth = permanentOAuthErrors.exec(message)?.[0];
    if (name === 'CredentialUnavailableError' || oauth || aadsts) {
        const code = [oauth, aadsts].filter(Boolean).join(' ') || name;
        return new PermanentError(`${target}: token request rejected (${code})`, { status: 401, code });
    }
    return new TransientError(`${target}: token request failed (${name})`, { code: 'token-unavailable' });
}
