import { storageServiceUri } from '../../../shared/adapters/storageServiceUri';
import { loadConfig } from '../../../shared/config';

describe('storageServiceUri', () => {
    it('when __tableServiceUri / __blobServiceUri are set (a sovereign cloud), then they are used instead of core.windows.net', () => {
        const setting = {
            accountName: 'stleads',
            tableServiceUri: 'https://stleads.table.core.chinacloudapi.cn/',
            blobServiceUri: 'https://stleads.blob.core.chinacloudapi.cn/',
        };
        expect(storageServiceUri(setting, 'table')).toBe('https://stleads.table.core.chinacloudapi.cn');
        expect(storageServiceUri(setting, 'blob')).toBe('https://stleads.blob.core.chinacloudapi.cn');
    });

    it('when only the account name is set, then the public-cloud endpoint is built from it', () => {
        expect(storageServiceUri({ accountName: 'stleads' }, 'table')).toBe('https://stleads.table.core.windows.net');
    });

    it('when neither is set for a service, then it fails with the missing settings named', () => {
        expect(() => storageServiceUri({ tableServiceUri: 'https://x.table.example/' }, 'blob')).toThrow(
            /no __blobServiceUri and no __accountName/,
        );
    });

    it('when the app settings hold the identity-based service URIs, then the configuration carries them', () => {
        const config = loadConfig({
            AzureWebJobsStorage__accountName: 'stapp',
            AzureWebJobsStorage__tableServiceUri: 'https://stapp.table.core.usgovcloudapi.net/',
            AzureWebJobsStorage__blobServiceUri: 'https://stapp.blob.core.usgovcloudapi.net/',
            AzureWebJobsStorage__clientId: 'client-1',
            ServiceBusConnection__fullyQualifiedNamespace: 'sb.servicebus.usgovcloudapi.net',
        });
        expect(config.storage).toEqual({
            accountName: 'stapp',
            tableServiceUri: 'https://stapp.table.core.usgovcloudapi.net/',
            blobServiceUri: 'https://stapp.blob.core.usgovcloudapi.net/',
            clientId: 'client-1',
        });
        expect(config.marketplaceLeadsStorage).toBeUndefined();
    });
});
