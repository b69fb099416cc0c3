/**
 * Subscriptions over SSE, on a listening gateway over an emulator whose async work moves only when the test advances
 * its clock, and poll loops that read again only when the test ticks (createPollClock): a backup-now and a restore
 * followed to the end, ten subscribers on one poll stream, a disconnect that stops polling, the per-caller cap, a
 * deleted backup ending with NOT_FOUND, the backoff, and the request rules queries obey.
 */
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from '../../src/emulator/demo-identity';
import { createGateway, type Gateway } from '../../src/gateway/yoga';
import { addServer, addVault, addVolume, T0 } from '../helpers/builders';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { createPollClock, listenGateway, nextData, readSse, subscribe, type SseStream } from '../helpers/sse';

const MIN_MS = 100;
const MAX_MS = 400;
const CAP = 10;

let emu: TestEmulator;
let gateway: Gateway;
let server: Awaited<ReturnType<typeof listenGateway>>;
let polls: ReturnType<typeof createPollClock>;

beforeAll(async () => {
  emu = await startTestEmulator({ lifecycle: 'manual', clock: { start: T0, mode: 'frozen' } });
});
afterAll(() => emu.close());

// A gateway per test: every test starts with no poll loop and no subscription held.
beforeEach(async () => {
  emu.reset();
  polls = createPollClock();
  gateway = createGateway(
    { cbrEndpoint: emu.url, vbsEndpoint: emu.url, maxSubscriptionsPerCaller: CAP, subscriptionPolling: { minMs: MIN_MS, maxMs: MAX_MS }, logging: false },
    { sleep: polls.sleep },
  );
  server = await listenGateway(gateway);
  return async () => {
    await server.close();
    await gateway.close();
  };
});

const P = () => emu.project.id;
const asA = () => ({ 'x-auth-token': emu.project.token, 'x-project-id': emu.project.id });

async function execute(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...asA() },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** The emulator's calls that read `path` (e.g. `operation-logs/<id>`). */
const reads = (path: string) => emu.emulator.requestLog.calls().filter((call) => call === `GET /v3/${P()}/${path}`);

const TASK = `subscription ($id: ID!) { taskUpdated(id: $id) { id operationType status progressPercent } }`;
const TASK_WITH_BACKUP = `subscription ($id: ID!) { taskUpdated(id: $id) { status progressPercent backup { status } } }`;
const RESTORE_POINT = `subscription ($id: ID!) { restorePointUpdated(id: $id) { id status resources { protectStatus } } }`;
const BACKUP = `subscription ($id: ID!) { backupUpdated(id: $id) { id status } }`;

/** Advances the emulator by one lifecycle step and lets every poll loop read once. */
function step() {
  emu.emulator.clock.advance(1_000);
  polls.tick();
}

/** Backs a new disk up now: the restore point, its backup and its task, all still running. */
async function backUpNow() {
  const volume = addVolume(emu.emulator, P(), { name: 'vol-1', sizeGb: 20 });
  const vault = addVault(emu.emulator, P(), { resources: [volume], size: 1_000, objectType: 'disk' });
  const data = await execute(
    `mutation ($input: CreateRestorePointInput!) { createRestorePoint(input: $input) { restorePoint { id } backups { id } task { id } } }`,
    { input: { vaultId: vault.id, name: 'now' } },
  );
  const { restorePoint, backups, task } = data.createRestorePoint;
  return { volume, restorePointId: restorePoint.id as string, backupId: backups[0].id as string, taskId: task.id as string };
}

describe('following a backup-now', () => {
  it('emits every state of the task, the restore point and the backup in order, then completes', async () => {
    const { restorePointId, backupId, taskId } = await backUpNow();
    const task = await subscribe(server.url, TASK, { id: taskId }, asA());
    const restorePoint = await subscribe(server.url, RESTORE_POINT, { id: restorePointId }, asA());
    const backup = await subscribe(server.url, BACKUP, { id: backupId }, asA());
    expect([task.status, restorePoint.status, backup.status]).toEqual([200, 200, 200]);

    expect(await nextData(task)).toEqual({ data: { taskUpdated: { id: taskId, operationType: 'BACKUP', status: 'RUNNING', progressPercent: 0 } } });
    expect(await nextData(restorePoint)).toEqual({
      data: { restorePointUpdated: { id: restorePointId, status: 'PROTECTING', resources: [{ protectStatus: 'PROTECTING' }] } },
    });
    expect(await nextData(backup)).toEqual({ data: { backupUpdated: { id: backupId, status: 'PROTECTING' } } });
    await polls.settle(3);

    step(); // the task reaches 50 %; nothing else changes, so only the task emits
    expect(await nextData(task)).toEqual({ data: { taskUpdated: { id: taskId, operationType: 'BACKUP', status: 'RUNNING', progressPercent: 50 } } });
    await polls.settle(3);

    step(); // done
    expect(await task.rest()).toEqual([{ data: { taskUpdated: { id: taskId, operationType: 'BACKUP', status: 'SUCCESS', progressPercent: 100 } } }]);
    expect(await restorePoint.rest()).toEqual([
      { data: { restorePointUpdated: { id: restorePointId, status: 'AVAILABLE', resources: [{ protectStatus: 'AVAILABLE' }] } } },
    ]);
    expect(await backup.rest()).toEqual([{ data: { backupUpdated: { id: backupId, status: 'AVAILABLE' } } }]);
    // Each object was read once per poll (3 polls), and nothing polls any more.
    expect(reads(`operation-logs/${taskId}`)).toHaveLength(3);
    expect(reads(`checkpoints/${restorePointId}`)).toHaveLength(3);
    expect(reads(`backups/${backupId}`)).toHaveLength(3);
    expect(gateway.watches.active()).toBe(0);
  });
});

describe('following a restore', () => {
  it('emits the restore task and the backup from start to finish', async () => {
    const { volume, backupId } = await backUpNow();
    emu.emulator.clock.advance(2_000);
    const data = await execute(`mutation ($input: RestoreBackupInput!) { restoreBackup(input: $input) { task { id status } } }`, {
      input: { backupId, volumeId: volume.id },
    });
    const taskId = data.restoreBackup.task.id as string;
    // With the task's backup: each event reads its edges afresh.
    const task = await subscribe(server.url, TASK_WITH_BACKUP, { id: taskId }, asA());
    const backup = await subscribe(server.url, BACKUP, { id: backupId }, asA());

    expect(await nextData(task)).toEqual({ data: { taskUpdated: { status: 'RUNNING', progressPercent: 0, backup: { status: 'RESTORING' } } } });
    expect(await nextData(backup)).toEqual({ data: { backupUpdated: { id: backupId, status: 'RESTORING' } } });
    await polls.settle(2);
    step();
    expect(await nextData(task)).toEqual({ data: { taskUpdated: { status: 'RUNNING', progressPercent: 50, backup: { status: 'RESTORING' } } } });
    await polls.settle(2);
    step();
    expect(await task.rest()).toEqual([{ data: { taskUpdated: { status: 'SUCCESS', progressPercent: 100, backup: { status: 'AVAILABLE' } } } }]);
    expect(await backup.rest()).toEqual([{ data: { backupUpdated: { id: backupId, status: 'AVAILABLE' } } }]);
  });
});

describe('with the graphql-sse client (distinct connections mode)', () => {
  it('follows a task to its end, the same events as over plain SSE', async () => {
    const { taskId } = await backUpNow();
    const client = createClient({ url: server.url, headers: asA(), retryAttempts: 0 });
    try {
      const results: unknown[] = [];
      const done = new Promise<void>((resolve, reject) => {
        client.subscribe({ query: TASK, variables: { id: taskId } }, { next: (result) => void results.push(result), error: reject, complete: resolve });
      });
      await vi.waitFor(() => expect(results).toHaveLength(1), { timeout: 10_000, interval: 5 });
      await polls.settle(1);
      step();
      await vi.waitFor(() => expect(results).toHaveLength(2), { timeout: 10_000, interval: 5 });
      await polls.settle(1);
      step();
      await done;
      expect(results.map((r: any) => [r.data.taskUpdated.status, r.data.taskUpdated.progressPercent])).toEqual([
        ['RUNNING', 0],
        ['RUNNING', 50],
        ['SUCCESS', 100],
      ]);
    } finally {
      client.dispose();
    }
  });
});

describe('sharing', () => {
  it('serves ten subscribers of one task from one poll stream: one read per poll', async () => {
    const { taskId } = await backUpNow();
    emu.emulator.requestLog.clear();
    const streams = await Promise.all(Array.from({ length: 10 }, () => subscribe(server.url, TASK, { id: taskId }, asA())));
    const first = await Promise.all(streams.map(nextData));
    expect(new Set(first.map((r) => r.data?.taskUpdated.progressPercent))).toEqual(new Set([0]));
    await polls.settle(1);
    expect(gateway.watches.active()).toBe(1);
    expect(emu.emulator.requestLog.calls()).toEqual([`GET /v3/${P()}/operation-logs/${taskId}`]);

    step();
    const second = await Promise.all(streams.map(nextData));
    expect(second.map((r) => r.data?.taskUpdated.progressPercent)).toEqual(Array(10).fill(50));
    await polls.settle(1);
    step();
    const rest = await Promise.all(streams.map((s) => s.rest()));
    expect(rest.map((r) => r.map((x) => x.data?.taskUpdated.status))).toEqual(Array(10).fill(['SUCCESS']));
    expect(emu.emulator.requestLog.calls()).toEqual(Array(3).fill(`GET /v3/${P()}/operation-logs/${taskId}`));
  });

  it('does not share a stream between callers: another project reads with its own token', async () => {
    const { taskId } = await backUpNow();
    const mine = await subscribe(server.url, TASK, { id: taskId }, asA());
    // Project B's token on project A's task: the upstream refuses it (403), and only B's subscription says so.
    const theirs = await subscribe(server.url, TASK, { id: taskId }, { 'x-auth-token': emu.otherProject.token, 'x-project-id': P() });
    expect((await nextData(mine)).data?.taskUpdated.status).toBe('RUNNING');
    expect(await theirs.rest()).toEqual([
      { data: { taskUpdated: null }, errors: [expect.objectContaining({ path: ['taskUpdated'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })] },
    ]);
    mine.abort();
  });
});

describe('stopping', () => {
  it('stops polling when the client disconnects, and frees its place under the cap', async () => {
    const { taskId } = await backUpNow();
    const streams: SseStream[] = [];
    for (let i = 0; i < CAP; i++) streams.push(await subscribe(server.url, TASK, { id: taskId }, asA()));
    await Promise.all(streams.map(nextData));
    await polls.settle(1);

    for (const stream of streams) stream.abort();
    await vi.waitFor(() => expect(gateway.watches.active()).toBe(0), { timeout: 10_000, interval: 5 });
    expect(polls.sleeping()).toBe(0);
    emu.emulator.requestLog.clear();
    step();
    polls.tick();
    expect(reads(`operation-logs/${taskId}`)).toEqual([]);

    // The ten places are free again.
    const again = await subscribe(server.url, TASK, { id: taskId }, asA());
    expect((await nextData(again)).data?.taskUpdated.progressPercent).toBe(50);
    again.abort();
  });

  it('completes every open subscription when the gateway closes (shutdown), though the task still runs', async () => {
    const { taskId } = await backUpNow();
    const task = await subscribe(server.url, TASK, { id: taskId }, asA());
    expect((await nextData(task)).data?.taskUpdated.status).toBe('RUNNING');
    await polls.settle(1);
    gateway.watches.close();
    expect(await task.rest()).toEqual([]);
    expect(gateway.watches.active()).toBe(0);
    expect(polls.sleeping()).toBe(0);
  });

  it('ends with NOT_FOUND (the field null) when the backup is deleted', async () => {
    const { backupId } = await backUpNow();
    emu.emulator.clock.advance(2_000);
    await execute(`mutation ($input: DeleteBackupInput!) { deleteBackup(input: $input) { deletedBackupId } }`, { input: { backupId } });
    const backup = await subscribe(server.url, BACKUP, { id: backupId }, asA());
    expect(await nextData(backup)).toEqual({ data: { backupUpdated: { id: backupId, status: 'DELETING' } } });
    await polls.settle(1);
    step();
    expect(await backup.rest()).toEqual([
      {
        data: { backupUpdated: null },
        errors: [
          expect.objectContaining({
            path: ['backupUpdated'],
            extensions: expect.objectContaining({ code: 'NOT_FOUND', upstream: expect.objectContaining({ status: 404 }) }),
          }),
        ],
      },
    ]);
    expect(gateway.watches.active()).toBe(0);
  });
});

describe('limits', () => {
  it('refuses a caller\'s subscription past the cap with TOO_MANY_SUBSCRIPTIONS, not another caller\'s', async () => {
    const { taskId } = await backUpNow();
    const held: SseStream[] = [];
    for (let i = 0; i < CAP; i++) held.push(await subscribe(server.url, TASK, { id: taskId }, asA()));
    await Promise.all(held.map(nextData));

    const refused = await subscribe(server.url, TASK, { id: taskId }, asA());
    expect(await refused.rest()).toEqual([
      {
        // Refused before the stream starts: graphql-js answers such an error without `data`.
        errors: [
          expect.objectContaining({
            message: `This caller already follows ${CAP} objects, the most one caller may follow at once: end a subscription first`,
            path: ['taskUpdated'],
            extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
          }),
        ],
      },
    ]);
    // The same token in project B is another caller.
    const other = await subscribe(server.url, TASK, { id: 'missing-task' }, { 'x-auth-token': emu.otherProject.token, 'x-project-id': emu.otherProject.id });
    expect(await other.rest()).toEqual([
      { data: { taskUpdated: null }, errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })] },
    ]);
    for (const stream of held) stream.abort();
  });

  it('polls at the minimum after a change, then twice as long each time nothing changes, up to the maximum', async () => {
    const { taskId } = await backUpNow();
    const task = await subscribe(server.url, TASK, { id: taskId }, asA());
    await nextData(task);
    for (let i = 0; i < 4; i++) {
      await polls.settle(1);
      polls.tick();
    }
    await polls.settle(1);
    step(); // a change: back to the minimum
    await nextData(task);
    await polls.settle(1);
    expect(polls.delays).toEqual([MIN_MS, 2 * MIN_MS, 4 * MIN_MS, MAX_MS, MAX_MS, MIN_MS]);
    task.abort();
  });

  it('reads again after an upstream failure, later each time, and ends with the error after three more in a row', async () => {
    const { taskId } = await backUpNow();
    const route = 'GET /v3/:project_id/operation-logs/*';
    try {
      emu.emulator.faults.set({ rules: [{ route, errorRate: 1, status: 500, times: 2 }] });
      const task = await subscribe(server.url, TASK, { id: taskId }, asA());
      for (let failed = 0; failed < 2; failed++) {
        await polls.settle(1);
        polls.tick();
      }
      expect((await nextData(task)).data?.taskUpdated.status).toBe('RUNNING');
      await polls.settle(1);
      expect(polls.delays).toEqual([2 * MIN_MS, 4 * MIN_MS, MIN_MS]);
      task.abort();
      await vi.waitFor(() => expect(gateway.watches.active()).toBe(0), { timeout: 10_000, interval: 5 });

      emu.emulator.faults.set({ rules: [{ route, errorRate: 1, status: 500 }] });
      emu.emulator.requestLog.clear();
      const failing = await subscribe(server.url, TASK, { id: taskId }, asA());
      for (let failed = 0; failed < 3; failed++) {
        await polls.settle(1);
        polls.tick();
      }
      expect(await failing.rest()).toEqual([
        { data: { taskUpdated: null }, errors: [expect.objectContaining({ path: ['taskUpdated'], extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR' }) })] },
      ]);
      expect(reads(`operation-logs/${taskId}`)).toHaveLength(4);
    } finally {
      emu.emulator.faults.set({});
    }
  });

  it('refuses a bad id before any call, naming the argument', async () => {
    const res = await subscribe(server.url, TASK, { id: '' }, asA());
    expect(await res.rest()).toEqual([
      { errors: [expect.objectContaining({ path: ['taskUpdated'], extensions: { code: 'BAD_USER_INPUT', field: 'id' } })] },
    ]);
    expect(emu.emulator.requestLog.calls()).toEqual([]);
  });
});

describe('request rules', () => {
  it('refuses a GET subscription without a CSRF header (403) and serves it with one', async () => {
    const { taskId } = await backUpNow();
    const url = `${server.url}?query=${encodeURIComponent(TASK)}&variables=${encodeURIComponent(JSON.stringify({ id: taskId }))}`;
    const refused = await fetch(url, { headers: { accept: 'text/event-stream' } });
    expect(refused.status).toBe(403);
    await refused.body?.cancel();

    const abort = new AbortController();
    const served = readSse(await fetch(url, { headers: { accept: 'text/event-stream', ...asA() }, signal: abort.signal }), abort);
    expect((await nextData(served)).data?.taskUpdated.status).toBe('RUNNING');
    served.abort();
  });

  it('refuses a subscription asked for as JSON with 406 and BAD_REQUEST, before any poll starts', async () => {
    const { taskId } = await backUpNow();
    emu.emulator.requestLog.clear();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...asA() },
      body: JSON.stringify({ query: TASK, variables: { id: taskId } }),
    });
    expect(res.status).toBe(406);
    expect(await res.json()).toEqual({
      errors: [{ message: 'Subscriptions are answered as Server-Sent Events: send the header Accept: text/event-stream', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(gateway.watches.active()).toBe(0);
    expect(emu.emulator.requestLog.calls()).toEqual([]);
  });

  it('answers UNAUTHENTICATED to a caller without a token when the gateway has no credentials of its own', async () => {
    const { taskId } = await backUpNow();
    const res = await subscribe(server.url, TASK, { id: taskId }, {});
    expect(await res.rest()).toEqual([
      { data: { taskUpdated: null }, errors: [expect.objectContaining({ path: ['taskUpdated'], extensions: { code: 'UNAUTHENTICATED' } })] },
    ]);
  });

  it('refuses a missing variable as queries do: BAD_USER_INPUT, before any call', async () => {
    const res = await subscribe(server.url, TASK, {}, asA());
    expect(await res.rest()).toEqual([
      { errors: [expect.objectContaining({ message: 'Variable "$id" of required type "ID!" was not provided.', extensions: { code: 'BAD_USER_INPUT' } })] },
    ]);
    expect(emu.emulator.requestLog.calls()).toEqual([]);
    expect(gateway.watches.active()).toBe(0);
  });

  it('refuses two root fields in one subscription (validation)', async () => {
    const two = await subscribe(server.url, `subscription { a: taskUpdated(id: "x") { id } b: taskUpdated(id: "y") { id } }`, {}, asA());
    const [only] = await two.rest();
    expect(only?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('with the gateway\'s own credentials (token-less callers)', () => {
  // In process through `fetch` of the gateway: a real HTTP client cannot choose the Host header.
  let own: Gateway;
  beforeEach(() => {
    own = createGateway({
      cbrEndpoint: emu.url,
      vbsEndpoint: emu.url,
      credentials: { kind: 'password', authUrl: `${emu.url}/v3`, username: DEMO_USER.name, password: DEMO_USER.password, userDomainName: DEMO_DOMAIN.name, projectId: DEMO_PROJECT.id },
      logging: false,
    }, { sleep: polls.sleep });
    return () => own.close();
  });

  function subscribeInProcess(host: string, headers: Record<string, string>, id: string) {
    return own.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { host, 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify({ query: TASK, variables: { id } }),
    });
  }

  it('serves localhost, refuses another Host with 403 (DNS rebinding) and another project with UNAUTHENTICATED', async () => {
    const { taskId } = await backUpNow();
    const served = readSse(await subscribeInProcess('localhost:4000', {}, taskId), new AbortController());
    expect((await nextData(served)).data?.taskUpdated.status).toBe('RUNNING');
    served.abort();

    const rebound = await subscribeInProcess('evil.example', {}, taskId);
    expect(rebound.status).toBe(403);
    expect(await readSse(rebound, new AbortController()).rest()).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })] }]);

    const elsewhere = readSse(await subscribeInProcess('localhost', { 'x-project-id': emu.otherProject.id }, taskId), new AbortController());
    expect(await elsewhere.rest()).toEqual([
      { data: { taskUpdated: null }, errors: [expect.objectContaining({ path: ['taskUpdated'], extensions: { code: 'UNAUTHENTICATED' } })] },
    ]);
  });
});
