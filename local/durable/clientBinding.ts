/** The URLs the durable client binding hands out; `{base}` is the host's `http://127.0.0.1:<port>`. */
export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
export const RPC_PATH = '/durabletask';
export const INSTANCE_PLACEHOLDER = 'INSTANCEID';
/** The path segment that carries the system key on the client's RPC calls (it resolves paths against rpcBaseUrl). */
export const RPC_KEY_SEGMENT = 'key';

/**
 * The management URLs of one instance, as `createCheckStatusResponse` hands them out: each carries the durable
 * extension's system key as `code=`, as in Azure, so the URLs work as they are.
 */
export function managementUrls(base: string, hub: string, instanceId: string, key: string): Record<string, string> {
    const root = `${base}${WEBHOOK_PATH}/instances/${encodeURIComponent(instanceId)}`;
    const query = `taskHub=${encodeURIComponent(hub)}&connection=Storage&code=${encodeURIComponent(key)}`;
    return {
        id: instanceId,
        statusQueryGetUri: `${root}?${query}`,
        sendEventPostUri: `${root}/raiseEvent/{eventName}?${query}`,
        terminatePostUri: `${root}/terminate?reason={text}&${query}`,
        rewindPostUri: `${root}/rewind?reason={text}&${query}`,
        purgeHistoryDeleteUri: `${root}?${query}`,
        restartPostUri: `${root}/restart?${query}`,
        suspendPostUri: `${root}/suspend?reason={text}&${query}`,
        resumePostUri: `${root}/resume?reason={text}&${query}`,
    };
}

/**
 * What `df.getClient(context)` validates (`taskHubName`, `creationUrls`, `managementUrls`); with `rpcBaseUrl` set
 * (trailing slash required) every client operation goes to the host's `/durabletask/` API. The client resolves its
 * paths against `rpcBaseUrl`, which drops a query string, so there the key travels as a path segment.
 */
export function durableClientBinding(base: string, hub: string, key: string): Record<string, unknown> {
    const code = `code=${encodeURIComponent(key)}`;
    const orchestrators = `${base}${WEBHOOK_PATH}/orchestrators/{functionName}[/{instanceId}]`;
    return {
        taskHubName: hub,
        creationUrls: {
            createNewInstancePostUri: `${orchestrators}?${code}`,
            createAndWaitOnNewInstancePostUri: `${orchestrators}?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${code}`,
        },
        managementUrls: managementUrls(base, hub, INSTANCE_PLACEHOLDER, key),
        baseUrl: `${base}${WEBHOOK_PATH}`,
        requiredQueryStringParameters: code,
        rpcBaseUrl: `${base}${RPC_PATH}/${RPC_KEY_SEGMENT}/${encodeURIComponent(key)}/`,
        httpBaseUrl: `${base}${WEBHOOK_PATH}`,
        maxGrpcMessageSizeInBytes: 0,
        grpcHttpClientTimeout: '00:01:40',
    };
}
