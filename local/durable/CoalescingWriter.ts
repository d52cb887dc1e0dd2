/**
 * Serialises writes per key and coalesces bursts: while a write for a key is in flight, further requests collapse
 * into one follow-up write that snapshots the latest state when it starts. Every caller resolves once a write that
 * began after its request has finished.
 */
export class CoalescingWriter {
    private readonly slots = new Map<string, { next?: Waiter[]; latest?: () => Promise<void> }>();

    constructor(private readonly onError: (key: string, error: unknown) => void) {}

    write(key: string, write: () => Promise<void>): Promise<void> {
        return new Promise<void>((resolve, reject) => {
            const slot = this.slots.get(key);
            if (slot) {
                (slot.next ??= []).push({ resolve, reject });
                slot.latest = write;
                return;
            }
            this.slots.set(key, {});
            this.run(key, write, [{ resolve, reject }]);
        });
    }

    /** Resolves when no write is in flight or queued. */
    async idle(): Promise<void> {
        while (this.slots.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }

    private run(key: string, write: () => Promise<void>, waiters: Waiter[]): void {
        write()
            .then(
                () => waiters.forEach((w) => w.resolve()),
                (error: unknown) => {
                    this.onError(key, error);
                    waiters.forEach((w) => w.reject(error));
                },
            )
            .finally(() => {
                const slot = this.slots.get(key);
                const next = slot?.next;
                if (slot && next && next.length > 0) {
                    this.slots.set(key, {});
                    this.run(key, slot.latest ?? write, next);
                } else {
                    this.slots.delete(key);
                }
            });
    }
}

interface Waiter {
    resolve: () => void;
    reject: (error: unknown) => void;
}
