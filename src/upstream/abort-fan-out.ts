/**
 * One listener on a caller's signal however many calls run or wait under it (a GraphQL request's signal sees every
 * upstream call of the request, and an EventTarget warns about a leak from its 11th listener): http.ts's attempts and
 * coalesce.ts's waiters listen here instead.
 */
import { EventEmitter } from 'node:events';

const fanOuts = new WeakMap<AbortSignal, EventEmitter>();

export function abortFanOut(signal: AbortSignal): EventEmitter {
  let fanOut = fanOuts.get(signal);
  if (!fanOut) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    signal.addEventListener('abort', () => emitter.emit('abort'), { once: true });
    fanOuts.set(signal, emitter);
    fanOut = emitter;
  }
  return fanOut;
}
