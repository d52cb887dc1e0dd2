import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { trace } from '@opentelemetry/api';

import { telemetrySettings as telemetrySettingsFrom } from '../../shared/config';
import { credentialFromAuthenticationString, setupTelemetry } from '../../shared/telemetry/setupTelemetry';
import { inMemoryTelemetry } from './inMemoryTelemetry';

const root = join(__dirname, '../..');
const compiled = join(root, 'dist/shared/telemetry/setupTelemetry.js');

describe('setupTelemetry', () => {
    it('when no connection string is set, then it is disabled and registers nothing', async () => {
        for (const connectionString of [undefined, '', '   ']) {
            const telemetry = setupTelemetry({ connectionString });
            expect(telemetry.enabled).toBe(false);
            await telemetry.flush();
        }
        expect(trace.getTracer('x').startSpan('s').isRecording()).toBe(false);
    });

    (existsSync(compiled) ? it : it.skip)(
        'when no connection string is set, then neither the SDK nor the exporter modules are loaded',
        () => {
            const script = `
                const { setupTelemetry } = require(${JSON.stringify(compiled)});
                setupTelemetry({ connectionString: '' });
                const loaded = Object.keys(require.cache).filter((f) => /sdk-trace|sdk-metrics|monitor-opentelemetry-exporter|SanitizingSpanExporter/.test(f));
                process.stdout.write(JSON.stringify(loaded));`;
            const result = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
            expect(result.stderr).toBe('');
            expect(JSON.parse(result.stdout)).toEqual([]);
        },
    );

    (existsSync(compiled) ? it : it.skip)(
        'when a connection string is set, then the Azure Monitor exporter loads at the first export, not at start-up',
        () => {
            const script = `
                const { setupTelemetry } = require(${JSON.stringify(compiled)});
                const telemetry = setupTelemetry({ connectionString: 'InstrumentationKey=0;IngestionEndpoint=https://127.0.0.1:9/' });
                const loaded = () => Object.keys(require.cache).some((f) => f.includes('monitor-opentelemetry-exporter'));
                const atStart = loaded();
                require('@opentelemetry/api').trace.getTracer('t').startSpan('s').end();
                telemetry.flush().catch(() => undefined).finally(() => {
                    process.stdout.write(JSON.stringify({ atStart, afterExport: loaded() }));
                    process.exit(0);
                });`;
            const result = spawnSync(process.execPath, ['-e', script], {
                cwd: root,
                encoding: 'utf8',
                stdio: 'pipe',
                env: { ...process.env, APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true' },
                timeout: 30_000,
            });
            expect(JSON.parse(result.stdout)).toEqual({ atStart: false, afterExport: true });
        },
    );

    it('when called twice, then the first registration wins and the same handle comes back', async () => {
        const first = inMemoryTelemetry();
        expect(first.telemetry.enabled).toBe(true);
        expect(setupTelemetry({ connectionString: 'InstrumentationKey=other' })).toBe(first.telemetry);
        await first.telemetry.shutdown();
        expect(setupTelemetry({ connectionString: '' }).enabled).toBe(false);
    });

    it('when the authentication string names a managed identity, then export uses Entra ID with that client id', () => {
        expect(credentialFromAuthenticationString(undefined)).toBeUndefined();
        expect(credentialFromAuthenticationString('')).toBeUndefined();
        const credential = credentialFromAuthenticationString(
            'Authorization=AAD;ClientId=11111111-2222-3333-4444-555555555555',
        );
        expect(credential?.constructor.name).toBe('ManagedIdentityCredential');
        expect(credentialFromAuthenticationString('authorization=aad')?.constructor.name).toBe(
            'ManagedIdentityCredential',
        );
    });

    it('when app settings are read, then the connection string, identity and role name come from the Azure settings', () => {
        expect(
            telemetrySettingsFrom({
                APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=1',
                APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=2;Authorization=AAD',
                WEBSITE_SITE_NAME: 'func-api-x',
            }),
        ).toEqual({
            connectionString: 'InstrumentationKey=1',
            authenticationString: 'ClientId=2;Authorization=AAD',
            serviceName: 'func-api-x',
        });
        expect(telemetrySettingsFrom({}).serviceName).toBeUndefined();
    });
});
