require('../scenario')(require('@azure/functions'), require('durable-functions'));
