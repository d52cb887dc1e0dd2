/** A request the host refuses itself, before or instead of any function: answered with `status` and the message. */
export class HttpError extends Error {
    constructor(
        readonly status: number,
        message: string,
        /** Close the connection after the answer (the rest of the request is not read). */
        readonly close = false,
    ) {
        super(message);
    }
}

/** The body is larger than the limit: announced by `Content-Length`, or seen while reading. */
export class BodyTooLargeError extends HttpError {
    constructor(
        readonly limit: number,
        setting: string,
    ) {
        super(413, `The request body is larger than ${limit} bytes (${setting})`, true);
    }
}

/** No body byte arrived for the idle time (e.g. a `Content-Length` longer than what was sent). */
export class BodyTimeoutError extends HttpError {
    constructor(idleMs: number) {
        super(408, `No request body data for ${Math.round(idleMs / 1000)} s`, true);
    }
}

/** The client went away before its body was complete: nobody to answer. */
export class ClientAbortedError extends Error {
    constructor() {
        super('The client aborted the request before its body was complete');
    }
}

/** `decodeURIComponent` that refuses a malformed escape (`%`, `%zz`) with a 400 instead of a URIError. */
export function decodePathSegment(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        throw new HttpError(400, `Malformed percent-encoding in the path segment '${segment.slice(0, 100)}'`);
    }
}
