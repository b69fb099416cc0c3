/**
 * Writes whose answer is lost: the emulator makes the change, then stalls past the gateway's deadline
 * (`latencyAfterCommit`) or resets the connection (`dropAfterHandler`). The gateway must not answer a plain timeout
 * (a client would retry and create twice): it reconciles creates it can look up, or says the outcome is unknown.
 */
import { describe, expect, it, vi } from 'vitest';
import { UpstreamTimeoutError, UpstreamUnavailableError } from '../../src/upstream/errors';
import { outcomeUnknown } from '../../src/gateway/write-outcome';
import { addVault } from '../helpers/builders';
import { useStack } from '../helpers/stack';

const CREATE_VAULT = `mutation ($name: String!) {
  createVault(input: { name: $name, billing: { objectType: DISK, sizeGb: 40 } }) { vault { id name billing { sizeGb } } reconciled }
}`;
const CREATE_POLICY = `mutation ($name: String!) {
  createPolicy(input: { name: $name, operationType: BACKUP, operationDefinition: { maxBackups: 7 }, pattern: ["FREQ=DAILY;INTERVAL=1;BYHOUR=3;BYMINUTE=00"] }) {
    policy { id name } reconciled
  }
}`;

describe('outcomeUnknown', () => {
  it('is true for a POST that timed out or broke after sending, false when nothing was sent or for other methods', () => {
    expect(outcomeUnknown(new UpstreamTimeoutError('POST', '/v3/p/vaults', 500, 1))).toBe(true);
    expect(outcomeUnknown(new UpstreamUnavailableError('POST', '/v3/p/vaults', 'ECONNRESET', 1))).toBe(true);
    expect(outcomeUnknown(new UpstreamUnavailableError('POST', '/v3/p/vaults', 'UND_ERR_SOCKET', 1))).toBe(true);
    expect(outcomeUnknown(new UpstreamUnavailableError('POST', '/v3/p/vaults', 'ECONNREFUSED', 1))).toBe(false);
    expect(outcomeUnknown(new UpstreamTimeoutError('GET', '/v3/p/vaults', 500, 1))).toBe(false);
    expect(outcomeUnknown(new UpstreamTimeoutError('PUT', '/v3/p/vaults/v', 500, 1))).toBe(false);
  });
});

describe('a create whose answer is lost', () => {
  const stack = useStack({ gateway: { upstreamTimeoutMs: 300 } });

  function vaultsNamed(name: string) {
    return [...stack.emu.emulator.state.project(stack.emu.project.id).vaults.values()].filter((v) => v.name === name);
  }

  it('finds the vault by reconciliation when the upstream created it and then stalled', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'POST /v3/:project_id/vaults', latencyAfterCommit: { minMs: 1_000 } }] });
    const res = await stack.execute(CREATE_VAULT, { name: 'stalled' });
    expect(res).toEqual({ data: { createVault: { vault: { id: expect.any(String), name: 'stalled', billing: { sizeGb: 40 } }, reconciled: true } } });
    expect(vaultsNamed('stalled').map((v) => v.id)).toEqual([res.data.createVault.vault.id]);
    // The lookup by name; the stalled create is logged once the emulator answers it (after the gateway gave up on it).
    expect(stack.calls()).toEqual([`GET /v3/${stack.emu.project.id}/vaults?name=stalled&object_type=disk&limit=1000`]);
    // One create, never repeated.
    await vi.waitFor(() => expect(stack.calls().filter((call) => call.startsWith('POST'))).toEqual([`POST /v3/${stack.emu.project.id}/vaults`]), { timeout: 3_000 });
  });

  it('finds it too when the connection was reset after the vault was created', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'POST /v3/:project_id/vaults', dropAfterHandler: true }] });
    const res = await stack.execute(CREATE_VAULT, { name: 'reset' });
    expect(res.data.createVault).toEqual({ vault: expect.objectContaining({ name: 'reset' }), reconciled: true });
    expect(vaultsNamed('reset')).toHaveLength(1);
  });

  it('answers UPSTREAM_OUTCOME_UNKNOWN with retrySafe false when the lookup cannot tell', async () => {
    stack.emu.emulator.faults.set({
      rules: [
        { route: 'POST /v3/:project_id/vaults', latencyAfterCommit: { minMs: 1_000 } },
        { route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 500 },
      ],
    });
    const res = await stack.execute(CREATE_VAULT, { name: 'unknown' });
    await vi.waitFor(() => expect(stack.calls().filter((call) => call.startsWith('POST'))).toHaveLength(1), { timeout: 3_000 });
    expect(res).toEqual({
      data: { createVault: null },
      errors: [
        {
          message: 'POST /vaults was sent but no answer came back: it may or may not have been carried out. Check (e.g. look the vault up by name) before retrying',
          locations: expect.any(Array),
          path: ['createVault'],
          extensions: { code: 'UPSTREAM_OUTCOME_UNKNOWN', retrySafe: false },
        },
      ],
    });
    // It was created: exactly what the client must check before retrying.
    expect(vaultsNamed('unknown')).toHaveLength(1);
  });

  it('does not take an older vault of the same name and settings for the one just sent', async () => {
    const older = addVault(stack.emu.emulator, stack.emu.project.id, { name: 'twin', objectType: 'disk', size: 40 });
    older.created_at = new Date(Date.now() - 3_600_000).toISOString();
    // The upstream holds the request before acting on it: when the gateway gives up and looks, only the twin exists.
    stack.emu.emulator.faults.set({ rules: [{ route: 'POST /v3/:project_id/vaults', latency: { minMs: 800 } }] });
    const res = await stack.execute(CREATE_VAULT, { name: 'twin' });
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_OUTCOME_UNKNOWN', retrySafe: false });
    expect(res.data.createVault).toBeNull();
    // As a real service does, the emulator still carries out the write whose client left: the late vault appears.
    await vi.waitFor(() => expect(vaultsNamed('twin')).toHaveLength(2), { timeout: 3_000 });
    expect(vaultsNamed('twin').map((v) => v.id)).toContain(older.id);
  });

  it('reconciles a policy the upstream created and then stalled on', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'POST /v3/:project_id/policies', latencyAfterCommit: { minMs: 1_000 } }] });
    const res = await stack.execute(CREATE_POLICY, { name: 'nightly-stalled' });
    expect(res).toEqual({ data: { createPolicy: { policy: { id: expect.any(String), name: 'nightly-stalled' }, reconciled: true } } });
    await vi.waitFor(() => expect(stack.calls().filter((call) => call.startsWith('POST'))).toHaveLength(1), { timeout: 3_000 });
  });

  it('keeps an answered failure (503) as it was: the upstream said it did not act', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: 'POST /v3/:project_id/vaults', errorRate: 1, status: 503 }] });
    const res = await stack.execute(CREATE_VAULT, { name: 'refused' });
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    expect(res.errors?.[0]?.extensions?.retrySafe).toBeUndefined();
  });
});
