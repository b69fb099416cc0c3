/** Test helper: an emulator on an ephemeral loopback port, with the two demo projects and a token for each, plus a JSON client. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { resetEmulator, type ResetOptions } from '../../src/emulator/context';
import type { EmulatorOptions } from '../../src/emulator/context';
import { DEMO_PROJECT, DEMO_PROJECT_2, DEMO_USER } from '../../src/emulator/demo-identity';
import type { Route } from '../../src/emulator/router';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server';
import { signRequest } from '../../src/upstream/signing';

/**
 * Probe routes for platform tests (auth, faults): the gate in front of handlers is the same for every CBR/VBS route,
 * so those tests need not depend on the resource handlers. `GET` answers the path's project, `POST` echoes the body.
 */
export const PROBE_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/v3/:project_id/probe', api: 'cbr', handler: (ctx) => ({ status: 200, body: { project: ctx.params.project_id } }) },
  { method: 'POST', pattern: '/v3/:project_id/probe', api: 'cbr', handler: (ctx) => ({ status: 200, body: { echo: ctx.body } }) },
  { method: 'GET', pattern: '/v2/:project_id/probe', api: 'vbs', handler: () => ({ status: 200, body: { ok: true } }) },
];

export interface TestProject {
  id: string;
  token: string;
}

export interface CallOptions {
  /** Token to send; `null` sends none. Default: the first project's token (unless `aksk`). */
  token?: string | null;
  headers?: Record<string, string>;
  /** Sign the request with the demo user's AK/SK (variant A) instead of sending a token. */
  aksk?: boolean;
}

export interface TestEmulator extends RunningEmulator {
  /** First project (where tests work). */
  project: TestProject;
  /** Second project (share destination, cross-project checks). */
  otherProject: TestProject;
  /** Sends a JSON request with the first project's token unless `token`/`aksk` say otherwise. */
  call(method: string, path: string, body?: unknown, options?: CallOptions): Promise<ApiResponse>;
  /** `resetEmulator` on this emulator; the project tokens stay valid. */
  reset(options?: ResetOptions): void;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or `undefined` when empty. */
  body: any;
}

/** The demo projects (`eu-de`, `eu-de_demo2`); every emulator has them. */
export const PROJECT_A = DEMO_PROJECT.id;
export const PROJECT_B = DEMO_PROJECT_2.id;

/**
 * Starts an emulator without demo data (`lifecycle: 'immediate'` unless given), with projects A and B.
 * `routeTable` replaces the handler table (platform tests add probe routes).
 */
export async function startTestEmulator(options: EmulatorOptions = {}, routeTable?: readonly Route[]): Promise<TestEmulator> {
  const running = await startEmulator({ demo: false, lifecycle: 'immediate', ...options }, routeTable);
  const { emulator } = running;
  const project = { id: PROJECT_A, token: emulator.identity.issueToken(PROJECT_A).token };
  const otherProject = { id: PROJECT_B, token: emulator.identity.issueToken(PROJECT_B).token };
  return {
    ...running,
    project,
    otherProject,
    reset: (resetOptions) => resetEmulator(emulator, resetOptions),
    async call(method, path, body, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      if (payload !== undefined) headers['content-type'] = 'application/json';
      if (opts.aksk) {
        Object.assign(
          headers,
          signRequest({ method, url: running.url + path, headers, body: payload, accessKey: DEMO_USER.accessKey, secretKey: DEMO_USER.secretKey }),
        );
      } else {
        const token = opts.token === undefined ? project.token : opts.token;
        if (token !== null) headers['x-auth-token'] = token;
      }
      const res = await fetch(running.url + path, { method, headers, body: payload });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/**
 * Registers the hooks of a test file (or describe block) that shares one emulator: started before its tests, closed
 * after them, and reset before each test unless `resetBeforeEach: false` (blocks whose tests share one emulator's
 * state as it goes). Returns the emulator, filled in by that `beforeAll`, so use it in tests and hooks only.
 */
export function useTestEmulator(options: EmulatorOptions = {}, { resetBeforeEach = true } = {}): TestEmulator {
  const emu = {} as TestEmulator;
  beforeAll(async () => {
    Object.assign(emu, await startTestEmulator(options));
  });
  afterAll(() => emu.close());
  if (resetBeforeEach) beforeEach(() => emu.reset());
  return emu;
}
