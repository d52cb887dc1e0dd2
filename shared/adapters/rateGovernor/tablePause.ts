import type { TableClient } from '@azure/data-tables';

import { ifStatus } from './tableWindow';

const rowKey = 'pause';

/** Until when (epoch ms) the target is paused; 0 when it is not. */
export async function readPause(table: TableClient, partitionKey: string): Promise<number> {
    const entity = await table.getEntity<{ until: number }>(partitionKey, rowKey).catch(ifStatus(404, undefined));
    return entity?.until ?? 0;
}

/** Moves the pause end to `untilMs` unless it is already later; conditional writes, so instances only extend it. */
export async function extendPause(table: TableClient, partitionKey: string, untilMs: number): Promise<void> {
    for (let i = 0; i < 5; i++) {
        const current = await table.getEntity<{ until: number }>(partitionKey, rowKey).catch(ifStatus(404, undefined));
        if (current && current.until >= untilMs) return;
        const written = current
            ? await table
                  .updateEntity({ partitionKey, rowKey, until: untilMs }, 'Replace', { etag: current.etag })
                  .then(() => true)
                  .catch(ifStatus(412, false))
            : await table
                  .createEntity({ partitionKey, rowKey, until: untilMs })
                  .then(() => true)
                  .catch(ifStatus(409, false));
        if (written) return;
    }
}
