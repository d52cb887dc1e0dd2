import type * as Functions from '@azure/functions';

import type * as Hooks from '../../shared/telemetry/registerTelemetryHooks';

const preInvocation = jest.fn();
const appTerminate = jest.fn();

jest.mock('@azure/functions', () => {
    const actual = jest.requireActual<typeof Functions>('@azure/functions');
    return { ...actual, app: { ...actual.app, hook: { ...actual.app.hook, preInvocation, appTerminate } } };
});

function freshModule(): typeof Hooks {
    let loaded: typeof Hooks | undefined;
    jest.isolateModules(() => {
        loaded = jest.requireActual<typeof Hooks>('../../shared/telemetry/registerTelemetryHooks');
    });
    return loaded!;
}

beforeEach(() => {
    preInvocation.mockClear();
    appTerminate.mockClear();
});

describe('registerTelemetryHooks', () => {
    it('when no connection string is set, then no hook is registered', () => {
        const { registerTelemetryHooks } = freshModule();
        expect(registerTelemetryHooks({ connectionString: '' }).enabled).toBe(false);
        expect(preInvocation).not.toHaveBeenCalled();
        expect(appTerminate).not.toHaveBeenCalled();
    });

    it('when telemetry is on, then the invocation and shutdown hooks are registered once, however often it is called', async () => {
        const { registerTelemetryHooks, parentToInvocation } = freshModule();
        const settings = { connectionString: 'InstrumentationKey=0;IngestionEndpoint=https://127.0.0.1:9/' };
        const telemetry = registerTelemetryHooks(settings);
        expect(registerTelemetryHooks(settings)).toBe(telemetry);
        expect(telemetry.enabled).toBe(true);
        expect(preInvocation).toHaveBeenCalledTimes(1);
        expect(preInvocation).toHaveBeenCalledWith(parentToInvocation);
        expect(appTerminate).toHaveBeenCalledTimes(1);
        // The terminate hook shuts the SDK down (nothing was recorded, so nothing is exported).
        const onTerminate = appTerminate.mock.calls[0]![0] as () => Promise<void>;
        await onTerminate();
    });
});
