/**
 * Records the upstream calls the gateway makes, as an undici interceptor on the gateway's connection pool: method,
 * path with query, request body, response status and body, and when each call started and ended. The emulator's
 * request log counts calls but has neither bodies nor start times; the REST replay needs both (bodies to resend,
 * times to group calls into waves). Records only between `start()` and `stop()`, so the measured runs pay one flag check.
 */
import type { Dispatcher } from 'undici';

export interface RecordedCall {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  /** Request body as sent (the REST client sends JSON strings), undefined without one. */
  body: string | undefined;
  status: number;
  /** Response body text; '' when the call failed before an answer. */
  responseBody: string;
  startMs: number;
  endMs: number;
}

export function createCallRecorder() {
  let recording: RecordedCall[] | undefined;

  const interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    const calls = recording;
    if (!calls) return dispatch(opts, handler);
    const call: RecordedCall = {
      method: opts.method,
      path: opts.path,
      body: typeof opts.body === 'string' ? opts.body : undefined,
      status: 0,
      responseBody: '',
      startMs: performance.now(),
      endMs: 0,
    };
    calls.push(call);
    const chunks: Buffer[] = [];
    const finish = () => {
      call.endMs = performance.now();
      call.responseBody = Buffer.concat(chunks).toString('utf8');
    };
    // compose() hands interceptors handlers in undici's controller style; pass every callback through unchanged.
    const h = handler as Dispatcher.DispatchHandler;
    const recordingHandler: Dispatcher.DispatchHandler = {
      onRequestStart: (controller, context) => h.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, statusCode, headers, socket) => h.onRequestUpgrade?.(controller, statusCode, headers, socket),
      onResponseStart: (controller, statusCode, headers, statusMessage) => {
        call.status = statusCode;
        return h.onResponseStart?.(controller, statusCode, headers, statusMessage);
      },
      onResponseData: (controller, chunk) => {
        chunks.push(chunk);
        return h.onResponseData?.(controller, chunk);
      },
      onResponseEnd: (controller, trailers) => {
        finish();
        return h.onResponseEnd?.(controller, trailers);
      },
      onResponseError: (controller, error) => {
        finish();
        return h.onResponseError?.(controller, error);
      },
    };
    return dispatch(opts, recordingHandler);
  };

  return {
    /** Pass to `agent.compose(...)`. */
    interceptor,
    /** Starts a fresh recording. */
    start(): void {
      recording = [];
    },
    /** Ends the recording and returns its calls in start order. */
    stop(): RecordedCall[] {
      const calls = recording ?? [];
      recording = undefined;
      return calls;
    },
  };
}

export type CallRecorder = ReturnType<typeof createCallRecorder>;
