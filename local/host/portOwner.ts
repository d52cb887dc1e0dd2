import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface PortOwner {
    pid: number;
    command: string;
}

/** Socket inodes listening on `port` (TCP, IPv4 and IPv6), from /proc/net/tcp*: state 0A is LISTEN. */
function listeningInodes(port: number): Set<string> {
    const inodes = new Set<string>();
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
        let text: string;
        try {
            text = readFileSync(file, 'utf8');
        } catch {
            continue;
        }
        for (const line of text.split('\n').slice(1)) {
            const fields = line.trim().split(/\s+/);
            const local = fields[1];
            if (local?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
        }
    }
    return inodes;
}

/**
 * The process listening on a TCP port, when the system says (Linux /proc; elsewhere undefined), so a start that
 * finds its port taken can say by what, e.g. a host left running by a killed `npm start`.
 */
export function portOwner(port: number): PortOwner | undefined {
    const inodes = listeningInodes(port);
    if (inodes.size === 0) return undefined;
    let pids: string[];
    try {
        pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    } catch {
        return undefined;
    }
    for (const pid of pids) {
        let fds: string[];
        try {
            fds = readdirSync(`/proc/${pid}/fd`);
        } catch {
            continue;
        }
        for (const fd of fds) {
            let target: string;
            try {
                target = readlinkSync(`/proc/${pid}/fd/${fd}`);
            } catch {
                continue;
            }
            const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
            if (inode && inodes.has(inode)) return { pid: Number(pid), command: commandOf(Number(pid)) };
        }
    }
    return undefined;
}

/** The command line of a process, as `ps` shows it; '' when unknown. */
export function commandOf(pid: number): string {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
        return '';
    }
}

/** One sentence for an error: who holds the port and what to run. */
export function describePortOwner(port: number): string {
    const owner = portOwner(port);
    if (!owner) return `port ${port} is in use (find the program with: lsof -i :${port})`;
    const ours = /local[/\\]cli\.js|scripts[/\\]start\.js|azuriteChild\.js/.test(owner.command);
    const what = ours ? 'a local host left running (by a killed npm start?)' : 'another program';
    return `port ${port} is held by ${what}: process ${owner.pid} (${owner.command.slice(0, 160)}); stop it with: kill ${owner.pid}`;
}
