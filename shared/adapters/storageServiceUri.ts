/** Identity-based storage settings, as `shared/config.ts` reads them (`<connection>__accountName`, `__…ServiceUri`). */
export interface IdentityStorageSetting {
    accountName?: string;
    tableServiceUri?: string;
    blobServiceUri?: string;
}

/**
 * The service endpoint of an identity-based storage connection. The configured `__tableServiceUri` /
 * `__blobServiceUri` wins, as it does for the Functions host ("Connecting to host storage with an identity": the
 * service URI settings), since it carries the cloud's suffix; the account name only fills in for the public cloud.
 */
export function storageServiceUri(setting: IdentityStorageSetting, service: 'table' | 'blob'): string {
    const configured = service === 'table' ? setting.tableServiceUri : setting.blobServiceUri;
    if (configured !== undefined) return configured.replace(/\/+$/u, '');
    if (setting.accountName === undefined) {
        throw new Error(`no __${service}ServiceUri and no __accountName: cannot reach the ${service} service`);
    }
    return `https://${setting.accountName}.${service}.core.windows.net`;
}
