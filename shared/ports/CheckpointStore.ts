/** Small named checkpoints (the table poller's watermark). */
export interface CheckpointStore {
    get(name: string): Promise<string | undefined>;
    set(name: string, value: string): Promise<void>;
}
