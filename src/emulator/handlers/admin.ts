/**
 * HTTP handlers of the emulator's own admin API under `/__admin/` (outside `/v2` and `/v3`, so no client of the real
 * API can collide with it): fault knobs, request log, reset, clock and a state dump. No authentication: the emulator
 * binds to loopback and holds demo data only. Bodies are camelCase (our API, not the cloud's), errors use the v3 shape
 * with `Emulator.*` codes. Admin calls are neither logged nor faulted (see server.ts).
 *
 * - `GET|PUT|DELETE /__admin/faults`: read, replace (body = `FaultSettings`), clear the fault settings.
 * - `GET|DELETE /__admin/requests`: the request log (`total`, `countsByRoute`, `requests`), or clear it.
 * - `POST /__admin/reset[?tokens=true]`: back to the initial dataset (tokens stay valid unless `tokens=true`).
 * - `GET /__admin/clock`, `POST /__admin/clock` with `{"advanceMs": n}`: read or move the emulator clock.
 * - `GET /__admin/state`: the whole state as the state file stores it (debugging).
 *
 * Not emulated: this API has no counterpart in the real service.
 */
import { z } from 'zod';
import type { Emulator } from '../context';
import { resetEmulator } from '../context';
import { ApiError } from '../errors';
import { FaultSettingsError } from '../faults';
import { serializeState } from '../persistence';
import type { HandlerResult, Route } from '../router';
import { describeIssue } from '../validation';

function invalid(message: string): ApiError {
  return new ApiError(400, 'Emulator.0400', message);
}

function clockBody(emulator: Emulator) {
  const now = emulator.clock.now(); // read once: in real-time mode two reads differ
  return {
    now: new Date(now).toISOString(),
    epochMs: now,
    lifecycle: emulator.options.lifecycle,
    pendingJobs: emulator.clock.pending(),
  };
}

const advanceRequest = z.strictObject({ advanceMs: z.number().int().min(0) });

const json = (body: unknown): HandlerResult => ({ status: 200, body });

export const routes: Route[] = [
  { method: 'GET', pattern: '/__admin/faults', api: 'admin', handler: (ctx) => json(ctx.emulator.faults.get()) },
  {
    method: 'PUT',
    pattern: '/__admin/faults',
    api: 'admin',
    handler: (ctx) => {
      try {
        ctx.emulator.faults.set((ctx.body ?? {}) as never);
      } catch (error) {
        if (error instanceof FaultSettingsError) throw invalid(error.message);
        throw error;
      }
      return json(ctx.emulator.faults.get());
    },
  },
  {
    method: 'DELETE',
    pattern: '/__admin/faults',
    api: 'admin',
    handler: (ctx) => {
      ctx.emulator.faults.clear();
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: '/__admin/requests',
    api: 'admin',
    handler: (ctx) => {
      const log = ctx.emulator.requestLog;
      return json({ total: log.total(), countsByRoute: log.countsByRoute(), requests: log.entries() });
    },
  },
  {
    method: 'DELETE',
    pattern: '/__admin/requests',
    api: 'admin',
    handler: (ctx) => {
      ctx.emulator.requestLog.clear();
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: '/__admin/reset',
    api: 'admin',
    handler: (ctx) => {
      resetEmulator(ctx.emulator, { tokens: ctx.query.get('tokens') === 'true' });
      return { status: 204 };
    },
  },
  { method: 'GET', pattern: '/__admin/clock', api: 'admin', handler: (ctx) => json(clockBody(ctx.emulator)) },
  {
    method: 'POST',
    pattern: '/__admin/clock',
    api: 'admin',
    handler: (ctx) => {
      const parsed = advanceRequest.safeParse(ctx.body);
      if (!parsed.success) throw invalid(`invalid clock request: ${describeIssue(parsed.error.issues[0])}`);
      ctx.emulator.clock.advance(parsed.data.advanceMs);
      return json(clockBody(ctx.emulator));
    },
  },
  {
    method: 'GET',
    pattern: '/__admin/state',
    api: 'admin',
    handler: (ctx) => ({ status: 200, body: JSON.parse(serializeState(ctx.emulator)) }),
  },
];
