/**
 * The typed client example (examples/typed-client, the README's typed client workflow) against the whole process as
 * `npm start` runs it, over real HTTP: it finds the vault by name, backs it up and follows the task to SUCCESS.
 */
import { describe, expect, it } from 'vitest';
import { execute, GraphQLRequestError } from '../../examples/typed-client/src/client';
import { BackUpNow, backUpNow, VaultByName } from '../../examples/typed-client/src/back-up-now';
import { followTask } from '../../examples/typed-client/src/follow-task';
import { loadConfig } from '../../src/config';
import { start } from '../../src/main';

describe('examples/typed-client', () => {
  it('backs a demo vault up and follows its task until it succeeds', async () => {
    const running = await start({ ...loadConfig({}), port: 0, logLevel: 'silent' });
    try {
      const task = await backUpNow(running.graphqlUrl, 'vault-dev-servers', 100);
      expect(task).toMatchObject({ status: 'SUCCESS', progressPercent: 100, error: null });
      expect(task?.endedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // Errors come back typed with their code and field.
      const refused = await execute(running.graphqlUrl, BackUpNow, { vaultId: 'not/an-id' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(GraphQLRequestError);
      expect((refused as GraphQLRequestError).errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.vaultId' });
    } finally {
      await running.close();
    }
  }, 60_000);

  it('follows a backup task live over SSE, typed, until the stream ends at SUCCESS', async () => {
    const running = await start({ ...loadConfig({}), port: 0, logLevel: 'silent' });
    try {
      const found = await execute(running.graphqlUrl, VaultByName, { name: 'vault-dev-servers' });
      const started = await execute(running.graphqlUrl, BackUpNow, { vaultId: found.vaults!.edges[0]!.node.id, name: 'followed' });
      const states = await followTask(running.graphqlUrl, started.createRestorePoint!.task!.id);
      expect(states.at(-1)).toEqual({ status: 'SUCCESS', progressPercent: 100, error: null });
      expect(states.slice(0, -1).every((state) => state.status === 'RUNNING')).toBe(true);
      const progress = states.map((state) => state.progressPercent ?? 0);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      await running.close();
    }
  }, 60_000);
});
