/**
 * Row keys that sort newest first: Table Storage returns rows in ascending key order, so the key is the distance to
 * the largest .NET tick value, zero-padded to 19 digits (the convention of Azure's own logging tables).
 */
const MAX_TICKS = 3155378975999999999n;
const EPOCH_TICKS = 621355968000000000n;

export function invertedTicks(at: Date): string {
    const ticks = BigInt(at.getTime()) * 10000n + EPOCH_TICKS;
    return (MAX_TICKS - ticks).toString().padStart(19, '0');
}

/** `yyyyMM` of a UTC date: the partition of the time-ordered lead index. */
export function monthPartition(at: Date): string {
    return `${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function previousMonth(partition: string): string {
    const year = Number(partition.slice(0, 4));
    const month = Number(partition.slice(4, 6));
    return month === 1 ? `${year - 1}12` : `${year}${String(month - 1).padStart(2, '0')}`;
}
