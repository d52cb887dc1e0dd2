/** The URLs the durable client binding hands out; `{base}` is the host's `http://127.0.0.1:<port>`. */
export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
export const RPC_PATH = '/durabletask';
export const INSTANCE_PLACEHOLDER = 'INSTANCEID';

export function managementUrls(base: string, hub: string, instanceId: string): Record<string, string> {
    const root = `${base}${WEBHOOK_PATH}/instances/${encodeURIComponent(instanceId)}`;
    const query = `taskHub=${encodeURIComponent(hub)}&connection=Storage`;
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
 * (trailing slash required) every client operation goes to the host's `/durabletask/` API.
 */
export function durableClientBinding(base: string, hub: string): Record<string, unknown> {
    const orchestrators = `${base}${WEBHOOK_PATH}/orchestrators/{functionName}[/{instanceId}]`;
    return {
        taskHubName: hub,
        creationUrls: {
            createNewInstancePostUri: orchestrators,
            createAndWaitOnNewInstancePostUri: `${orchestrators}?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}`,
        },
        managementUrls: managementUrls(base, hub, INSTANCE_PLACEHOLDER),
        baseUrl: `${base}${WEBHOOK_PATH}`,
        requiredQueryStringParameters: '',
        rpcBaseUrl: `${base}${RPC_PATH}/`,
        httpBaseUrl: `${base}${WEBHOOK_PATH}`,
        maxGrpcMessageSizeInBytes: 0,
        grpcHttpClientTimeout: '00:01:40',
    };
}
