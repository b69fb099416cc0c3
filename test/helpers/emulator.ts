/** Test helper: an emulator on an ephemeral loopback port, with two projects and a token for each, plus a JSON client. */
import { startEmulator, type RunningEmulator } from '../../src/emulator/server';
import type { EmulatorOptions } from '../../src/emulator/context';

export interface TestProject {
  id: string;
  token: string;
}

export interface TestEmulator extends RunningEmulator {
  /** First project (where tests work). */
  project: TestProject;
  /** Second project (share destination, cross-project checks). */
  otherProject: TestProject;
  /** Sends a JSON request with the first project's token unless `token` says otherwise. */
  call(method: string, path: string, body?: unknown, options?: { token?: string | null; headers?: Record<string, string> }): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or `undefined` when empty. */
  body: any;
}

export const PROJECT_A = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const PROJECT_B = '1b2c3d4e5f60718293a4b5c6d7e8f90a';

/** Starts an emulator without demo data (`lifecycle: 'immediate'` unless given), with projects A and B. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const running = await startEmulator({ demo: false, lifecycle: 'immediate', ...options });
  const { emulator } = running;
  for (const [id, name] of [[PROJECT_A, 'eu-de'], [PROJECT_B, 'eu-de_second']] as const) {
    if (!emulator.state.projects.has(id)) emulator.state.addProject(id, name);
  }
  const project = { id: PROJECT_A, token: emulator.identity.issueToken(PROJECT_A).token };
  const otherProject = { id: PROJECT_B, token: emulator.identity.issueToken(PROJECT_B).token };
  return {
    ...running,
    project,
    otherProject,
    async call(method, path, body, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const token = opts.token === undefined ? project.token : opts.token;
      if (token !== null) headers['x-auth-token'] = token;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(running.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
}
