import { constants, verify, X509Certificate } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { type RecordedRequest, sendJson } from '../support/fakeServer';

/** The host the credential is configured with; the test's fetch sends it to the fake under `/entra`. */
export const fakeAuthorityHost = 'https://login.fake.test';

export interface FakeEntra {
    clientId: string;
    clientSecret: string;
    tenantId: string;
    expiresInSeconds: number;
    issued: string[];
    /** The certificate uploaded to the app registration, for certificate credentials. */
    certificatePem?: string;
    handle(req: RecordedRequest, res: ServerResponse): boolean;
}

/**
 * Microsoft Entra ID v2.0 endpoints as MSAL uses them with instance discovery disabled: the tenant's OpenID
 * configuration, then the client-credentials token request (`client_id`, `client_secret`, `scope`), answering
 * `{ token_type, expires_in, access_token }` or `401 invalid_client` with an `AADSTS` code.
 */
export function createFakeEntra(tenantId: string, clientId: string, clientSecret: string): FakeEntra {
    const entra: FakeEntra = {
        clientId,
        clientSecret,
        tenantId,
        expiresInSeconds: 3599,
        issued: [],
        handle(req, res) {
            // Reached through the test's fetch rewrite (`/entra/...`) or directly, when served over HTTPS.
            const viaRewrite = req.pathname.startsWith('/entra/');
            if (!viaRewrite && !req.pathname.startsWith(`/${tenantId}/`)) return false;
            const path = viaRewrite ? req.pathname.slice('/entra'.length) : req.pathname;
            const host = viaRewrite ? fakeAuthorityHost : `https://${req.headers.host}`;
            const base = `${host}/${tenantId}`;
            if (req.method === 'GET' && path === `/${tenantId}/v2.0/.well-known/openid-configuration`) {
                sendJson(res, 200, {
                    token_endpoint: `${base}/oauth2/v2.0/token`,
                    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
                    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
                    issuer: `${base}/v2.0`,
                    jwks_uri: `${base}/discovery/v2.0/keys`,
                });
                return true;
            }
            if (req.method === 'POST' && path === `/${tenantId}/oauth2/v2.0/token`) {
                const form = new URLSearchParams(req.body);
                const credentialOk = form.has('client_assertion')
                    ? form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' &&
                      entra.certificatePem !== undefined &&
                      validAssertion(form.get('client_assertion')!, entra.certificatePem, clientId, tenantId)
                    : form.get('client_secret') === clientSecret;
                if (
                    form.get('grant_type') !== 'client_credentials' ||
                    form.get('client_id') !== clientId ||
                    !credentialOk
                ) {
                    sendJson(res, 401, {
                        error: 'invalid_client',
                        error_description: 'AADSTS7000215: Invalid client secret provided.',
                        error_codes: [7000215],
                    });
                    return true;
                }
                const token = `tok-${entra.issued.length + 1}`;
                entra.issued.push(token);
                sendJson(res, 200, {
                    token_type: 'Bearer',
                    expires_in: entra.expiresInSeconds,
                    ext_expires_in: entra.expiresInSeconds,
                    access_token: token,
                    scope: form.get('scope'),
                });
                return true;
            }
            sendJson(res, 404, { error: 'not_found' });
            return true;
        },
    };
    return entra;
}

/** The test's fetch: sends the authority host to the fake, everything else unchanged. */
export function fetchVia(fakeUrl: string): typeof fetch {
    return (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        return globalThis.fetch(url.replace(fakeAuthorityHost, `${fakeUrl}/entra`), init);
    };
}

/**
 * A certificate client assertion: a JWT signed with the app's private key (RS256 or PS256), `iss` = `sub` = client
 * id, `aud` = the tenant's token endpoint, not expired, and an `x5t`/`x5t#S256` header naming the certificate.
 */
function validAssertion(assertion: string, certificatePem: string, clientId: string, tenantId: string): boolean {
    const [h, c, sig] = assertion.split('.');
    if (!h || !c || !sig) return false;
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as {
        alg: string;
        x5t?: string;
        'x5t#S256'?: string;
    };
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as {
        iss: string;
        sub: string;
        aud: string;
        exp: number;
    };
    const cert = new X509Certificate(certificatePem);
    const padding = header.alg === 'PS256' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
    const signed = verify(
        'sha256',
        Buffer.from(`${h}.${c}`),
        { key: cert.publicKey, padding, saltLength: 32 },
        Buffer.from(sig, 'base64url'),
    );
    return (
        signed &&
        (header.x5t !== undefined || header['x5t#S256'] !== undefined) &&
        claims.iss === clientId &&
        claims.sub === clientId &&
        claims.aud.endsWith(`/${tenantId}/oauth2/v2.0/token`) &&
        claims.exp * 1000 > Date.now()
    );
}
