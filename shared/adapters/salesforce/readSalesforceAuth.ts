import type { OptionsReader } from '../crmKit/OptionsReader';
import type { SalesforceAuthOptions } from './salesforceAuth';
import { defaultLoginUrl, productionAudience, sandboxAudience, sharedLoginHosts } from './salesforceDefaults';

/**
 * The REST mode's sign-in options, read the same way for delivering and for erasing (so both share one session):
 * `auth` (`client-credentials` default | `jwt-bearer`), `loginUrl` (the org's My Domain for client credentials),
 * `clientId`, `clientSecret` or `username` + `privateKey` (+ optional `certificate` PEM, `audience`).
 */
export function readSalesforceAuth(read: OptionsReader): { auth: SalesforceAuthOptions; certificate?: string } {
    const flow = read.oneOf('auth', ['client-credentials', 'jwt-bearer'] as const, 'client-credentials');
    const loginUrl =
        flow === 'client-credentials'
            ? read.url('loginUrl')
            : read.url('loginUrl', { optional: true, default: defaultLoginUrl })!;
    const host = loginUrl === undefined ? undefined : hostOf(loginUrl);
    if (flow === 'client-credentials' && host !== undefined && sharedLoginHosts.includes(host)) {
        read.add(
            'loginUrl',
            'the client-credentials flow works only on the org’s My Domain: set it to https://<domain>.my.salesforce.com ' +
                '(sandbox: https://<domain>--<sandbox>.sandbox.my.salesforce.com), not login or test.salesforce.com',
        );
    }
    const clientId = read.string('clientId');
    if (flow === 'jwt-bearer') {
        const username = read.string('username');
        const privateKey = read.string('privateKey');
        if (privateKey !== undefined && !privateKey.includes('PRIVATE KEY'))
            read.add('privateKey', 'must be a PEM private key');
        const certificate = read.string('certificate', { optional: true });
        const audience = read.url('audience', { optional: true }) ?? defaultAudience(host);
        return { auth: { flow, loginUrl, clientId, username, privateKey, audience }, certificate };
    }
    return { auth: { flow, loginUrl, clientId, clientSecret: read.string('clientSecret') } };
}

/**
 * The JWT `aud`: `https://login.salesforce.com` for production, `https://test.salesforce.com` for a sandbox, whatever
 * host the token is requested from (OAuth 2.0 JWT Bearer Flow); an Experience Cloud site sets `audience` itself.
 */
function defaultAudience(host: string | undefined): string {
    const sandbox = host === 'test.salesforce.com' || (host?.endsWith('.sandbox.my.salesforce.com') ?? false);
    return sandbox ? sandboxAudience : productionAudience;
}

function hostOf(url: string): string | undefined {
    try {
        return new URL(url).hostname.toLowerCase();
    } catch {
        return undefined;
    }
}
