import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface StartArgs {
    appDir: string;
    port: number;
    storage: 'disk' | 'memory';
    storagePorts: 'standard' | 'free';
    /** Absolute (a relative `--data-dir` is taken from where the command was run, before the host moves to the app). */
    dataDir: string | undefined;
    /** Port for the Service Bus stand-in's AMQP listener (0: free); undefined: the extension's default. */
    sbPort: number | undefined;
    /** Print `LOCAL_HOST_READY {json}` (ports, connection strings, keys) for a tool when ready. */
    readyLine: boolean;
    /** Stop when the process that started this one goes away (a wrapper killed with SIGKILL). */
    exitWithParent: boolean;
}

export const USAGE = `Usage: node dist/local/cli.js start [--app DIR] [--port N] [--storage disk|memory]
       [--storage-ports standard|free] [--data-dir DIR] [--sb-port N] [--ready-line] [--exit-with-parent]`;

function toPort(value: string | undefined, flag: string, fallback: number): number {
    if (value === undefined) return fallback;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`${flag} must be a port number (0 = free)`);
    return port;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value))
        throw new Error(`${flag} must be one of ${allowed.join(', ')}`);
    return value as T;
}

/** Parses `start` and its options; throws with a message fit for the user on anything unknown. */
export function parseStartArgs(argv: string[], cwd: string): StartArgs {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            app: { type: 'string' },
            port: { type: 'string' },
            storage: { type: 'string' },
            'storage-ports': { type: 'string' },
            'data-dir': { type: 'string' },
            'sb-port': { type: 'string' },
            'ready-line': { type: 'boolean' },
            'exit-with-parent': { type: 'boolean' },
        },
    });
    if (positionals[0] !== 'start' || positionals.length > 1) throw new Error(USAGE);
    return {
        appDir: resolve(cwd, values.app ?? '.'),
        port: toPort(values.port, '--port', 7071),
        storage: oneOf(values.storage, ['disk', 'memory'] as const, '--storage', 'disk'),
        storagePorts: oneOf(values['storage-ports'], ['standard', 'free'] as const, '--storage-ports', 'standard'),
        dataDir: values['data-dir'] === undefined ? undefined : resolve(cwd, values['data-dir']),
        sbPort: values['sb-port'] === undefined ? undefined : toPort(values['sb-port'], '--sb-port', 0),
        readyLine: values['ready-line'] === true,
        exitWithParent: values['exit-with-parent'] === true,
    };
}
