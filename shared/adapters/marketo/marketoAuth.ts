import { PermanentError, TransientError } from '../../domain/index';
import { isTransientStatus } from '../crmKit/classifyStatus';
import type { TargetHttp } from '../crmKit/TargetHttp';
import type { Token } from '../crmKit/TokenCache';

/**
 * The identity endpoint: `GET <base>/identity/oauth/token?grant_type=client_credentials&client_id&client_secret`,
 * answering `access_token` and `expires_in` seconds; outside the API budget (token calls are not counted).
 */
export async function requestMarketoToken(
    http: TargetHttp,
    client: { baseUrl: string; clientId: string; clientSecret: string },
    now: () => Date,
): Promise<Token> {
    const query = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
    });
    const requestedAt = now().getTime();
    const response = await http.sendUngoverned({
        method: 'GET',
        url: `${client.baseUrl}/identity/oauth/token?${query.toString()}`,
    });
    const body = (response.json ?? {}) as { access_token?: string; expires_in?: number; error?: string };
    if (response.status === 200 && body.access_token) {
        return { accessToken: body.access_token, expiresAtMs: requestedAt + (body.expires_in ?? 3600) * 1000 };
    }
    const code = body.error ?? `http-${response.status}`;
    if (isTransientStatus(response.status)) {
        throw new TransientError(`${http.target}: token request failed (${code})`, { status: response.status, code });
    }
    throw new PermanentError(`${http.target}: token request rejected (${code})`, { status: response.status, code });
}
