import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
    key: string;
    cert: string;
    /** A file holding `cert`, for `NODE_EXTRA_CA_CERTS` of a child process (the local host in an end-to-end test). */
    certFile: string;
    dispose(): void;
}

/**
 * A self-signed certificate for 127.0.0.1, made with openssl (undefined when openssl is not installed). Node's fetch
 * in a child process trusts it when the child starts with `NODE_EXTRA_CA_CERTS=<certFile>`.
 */
export function selfSignedCertificate(days = 10): TestCertificate | undefined {
    if (spawnSync('openssl', ['version']).status !== 0) return undefined;
    const dir = mkdtempSync(join(tmpdir(), 'fake-cert-'));
    const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    const made = spawnSync('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        String(days),
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
    ]);
    if (made.status !== 0) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`openssl failed: ${made.stderr.toString()}`);
    }
    return {
        key: readFileSync(keyFile, 'utf8'),
        cert: readFileSync(certFile, 'utf8'),
        certFile,
        dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
}
