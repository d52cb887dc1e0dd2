/** Longest delay `setTimeout` accepts; longer durable timers re-arm until they are due. */
const MAX_DELAY = 2 ** 31 - 1;

/** In-process alarms for durable timers (whose due time is stored in the instance record), cancellable by key. */
export class TimerSet {
    private readonly handles = new Map<string, NodeJS.Timeout>();

    arm(key: string, fireAt: Date, onFire: () => void): void {
        this.cancel(key);
        const delay = Math.min(MAX_DELAY, Math.max(0, fireAt.getTime() - Date.now()));
        const handle = setTimeout(() => {
            this.handles.delete(key);
            if (Date.now() + 1 < fireAt.getTime()) this.arm(key, fireAt, onFire);
            else onFire();
        }, delay);
        this.handles.set(key, handle);
    }

    cancel(key: string): void {
        const handle = this.handles.get(key);
        if (handle) clearTimeout(handle);
        this.handles.delete(key);
    }

    cancelPrefix(prefix: string): void {
        for (const key of [...this.handles.keys()]) if (key.startsWith(prefix)) this.cancel(key);
    }

    clear(): void {
        for (const handle of this.handles.values()) clearTimeout(handle);
        this.handles.clear();
    }
}
