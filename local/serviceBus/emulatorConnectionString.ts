/** The connection string of Microsoft's Service Bus emulator, which `@azure/service-bus` understands. */
export function emulatorConnectionString(port: number): string {
    return (
        `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=RootManageSharedAccessKey;` +
        'SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;'
    );
}

const emulatorEndpoint = /(^|;)\s*Endpoint\s*=\s*sb:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?\s*(?=;|$)/i;

/** True for an emulator connection string pointing at this machine (`UseDevelopmentEmulator=true`, loopback host). */
export function isLocalEmulatorConnectionString(value: string): boolean {
    return /(^|;)\s*UseDevelopmentEmulator\s*=\s*true\s*(;|$)/i.test(value) && emulatorEndpoint.test(value);
}

/** The same connection string with its endpoint on `127.0.0.1:<port>`. */
export function withEmulatorPort(value: string, port: number): string {
    return value.replace(emulatorEndpoint, (_match, lead: string) => `${lead}Endpoint=sb://127.0.0.1:${port}`);
}

/**
 * Points every app setting holding a local emulator connection string at the port the stand-in listens on, so the
 * app's `ServiceBusClient` reaches it. Returns the names of the settings changed.
 */
export function rewriteEmulatorSettings(env: NodeJS.ProcessEnv, port: number): string[] {
    const changed: string[] = [];
    for (const [name, value] of Object.entries(env)) {
        if (value === undefined || !isLocalEmulatorConnectionString(value)) continue;
        const rewritten = withEmulatorPort(value, port);
        if (rewritten !== value) {
            env[name] = rewritten;
            changed.push(name);
        }
    }
    return changed;
}
