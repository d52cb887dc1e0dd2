// An ES module app: the host imports it instead of requiring it, as the worker does.
import { app } from '@azure/functions';

app.http('esmHello', { methods: ['GET'], authLevel: 'anonymous', handler: () => ({ body: 'hello from ESM' }) });

// A trigger the local host does not emulate: it must be listed as not run, not break the start.
app.storageQueue('queueWorker', { queueName: 'work', connection: 'AzureWebJobsStorage', handler: () => {} });
