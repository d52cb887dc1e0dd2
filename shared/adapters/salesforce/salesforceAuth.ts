import { createSign } from 'node:crypto';

import { PermanentError, TransientError } from '../../domain/index';
import { isTransientStatus } from '../crmKit/classifyStatus';
import type { TargetHttp } from '../crmKit/TargetHttp';
import type { Token } from '../crmKit/TokenCache';

export interface SalesforceToken extends Token {
    instanceUrl: string;
}

export type SalesforceAuthOptions =
    | { flow: 'client-credentials'; loginUrl: string; clientId: string; clientSecret: string }
    | {
          flow: 'jwt-bearer';
          loginUrl: string;
          clientId: string;
          username: string;
          privateKey: string;
          audience: string;
      };

/**
 * OAuth 2.0 against `<loginUrl>/services/oauth2/token`: the client-credentials flow of a connected app (runs as its
 * configured "Run As" user) or the JWT bearer flow (RS256 assertion signed with node:crypto). Salesforce returns no
 * `expires_in`; the session lives as long as the org's session timeout, so the cache assumes `sessionTtlMs` and a
 * 401 `INVALID_SESSION_ID` refreshes early.
 */
export async function requestSalesforceToken(
    http: TargetHttp,
    auth: SalesforceAuthOptions,
    now: Date,
    sessionTtlMs: number,
): Promise<SalesforceToken> {
    const form = new URLSearchParams();
    if (auth.flow === 'client-credentials') {
        form.set('grant_type', 'client_credentials');
        form.set('client_id', auth.clientId);
        form.set('client_secret', auth.clientSecret);
    } else {
        form.set('grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer');
        form.set('assertion', jwtAssertion(auth, now));
    }
    const response = await http.sendUngoverned({
        method: 'POST',
        url: `${auth.loginUrl}/services/oauth2/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
    });
    const body = (response.json ?? {}) as { access_token?: string; instance_url?: string; error?: string };
    if (response.status === 200 && body.access_token && body.instance_url) {
        return {
            accessToken: body.access_token,
            instanceUrl: body.instance_url.replace(/\/+$/, ''),
            expiresAtMs: now.getTime() + sessionTtlMs,
        };
    }
    const code = body.error ?? `http-${response.status}`;
    if (isTransientStatus(response.status)) {
        throw new TransientError(`${http.target}: token request failed (${code})`, { status: response.status, code });
    }
    throw new PermanentError(`${http.target}: token request rejected (${code})`, { status: response.status, code });
}

/**
 * Salesforce accepts an assertion whose `exp` is at most 3 minutes away (OAuth 2.0 JWT Bearer Flow for Server-to-Server
 * Integration); 150 s leaves room for a clock that runs ahead of Salesforce's.
 */
const assertionLifetimeSeconds = 150;

function jwtAssertion(auth: Extract<SalesforceAuthOptions, { flow: 'jwt-bearer' }>, now: Date): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = encode({ alg: 'RS256' });
    const claims = encode({
        iss: auth.clientId,
        sub: auth.username,
        aud: auth.audience,
        exp: Math.floor(now.getTime() / 1000) + assertionLifetimeSeconds,
    });
    const signature = createSign('RSA-SHA256')
        .update(`${header}.${claims}`)
        .sign(auth.privateKey)
        .toString('base64url');
    return `${header}.${claims}.${signature}`;
}
