/**
 * Automatic backups: an enabled backup policy fires at the time points of its trigger's RRULEs (UTC) on the
 * emulator's clock and creates a restore point (`auto_trigger: true`, `policy_id`) for each vault it is applied
 * to, then applies the policy's `max_backups` / `retention_duration_days` to that vault's automatic backups.
 *
 * Each policy has at most one clock job waiting: its next fire time (or, when that is more than a day away, a
 * wake-up that recomputes it, so no timer exceeds Node's 24.8-day limit in real-time mode). Creating, updating
 * or deleting a policy bumps its generation, which turns any job armed earlier into a no-op; no request scans
 * the policies. After a fire, the next time point is computed from the fire time (not from "now"), so one
 * `clock.advance` over several time points fires each of them, in order.
 *
 * A replication policy fires alike and copies each bound vault's backups not yet replicated (store/replication.ts).
 *
 * Not emulated: long-term retention (`day/week/month/year_backups`, `timezone`), `full_backup_interval`,
 * retention of replicas, operation logs for retention deletes, and exact timestamps for fires
 * caught up within one `advance` (their restore points carry the clock's time after the advance).
 */
import type { Emulator } from '../context';
import { ApiError } from '../errors';
import type { Policy } from '../../upstream/schemas/policy';
import { parsePatterns, type Rrule } from '../../upstream/rrule';
import { nextOccurrence } from '../rrule';
import { canTransition } from './lifecycle';
import { createRestorePoint } from './restore-point';
import { removeBackups } from './backup';
import { replicateByPolicy } from './replication';

const DAY_MS = 24 * 3600_000;
/** Longest a single clock job waits; beyond it a wake-up job re-arms. */
const MAX_SLEEP_MS = DAY_MS;

/** Per emulator: the schedule generation of each `project/policy`. Jobs of older generations do nothing. */
const generations = new WeakMap<Emulator, Map<string, number>>();

function bump(emulator: Emulator, key: string): number {
  let map = generations.get(emulator);
  if (!map) {
    map = new Map();
    generations.set(emulator, map);
  }
  const generation = (map.get(key) ?? 0) + 1;
  map.set(key, generation);
  return generation;
}

function isCurrent(emulator: Emulator, key: string, generation: number): boolean {
  return generations.get(emulator)?.get(key) === generation;
}

/**
 * (Re)arms the schedule of a policy from its current state: nothing waits for a disabled or unknown policy. Call after every change of a policy (the policy store does).
 */
export function schedulePolicy(emulator: Emulator, projectId: string, policyId: string): void {
  const key = `${projectId}/${policyId}`;
  const generation = bump(emulator, key);
  const policy = emulator.state.projects.get(projectId)?.policies.get(policyId);
  if (!policy?.enabled || (policy.operation_type !== 'backup' && policy.operation_type !== 'replication')) return;
  const parsed = parsePatterns(policy.trigger.properties.pattern);
  if (!parsed.ok) return;
  const now = emulator.clock.now();
  const anchor = parseUtc(policy.trigger.properties.start_time) ?? now;
  arm(emulator, projectId, policyId, key, generation, parsed.value, anchor, now);
}

/** Stops a policy's schedule (deleted policy). */
export function unschedulePolicy(emulator: Emulator, projectId: string, policyId: string): void {
  bump(emulator, `${projectId}/${policyId}`);
}

/**
 * Arms every policy of every project: for state that did not come through the policy store (a loaded state
 * file, a demo dataset written directly), or after the clock's jobs were cleared.
 */
export function scheduleAllPolicies(emulator: Emulator): void {
  for (const [projectId, project] of emulator.state.projects) {
    for (const policyId of project.policies.keys()) schedulePolicy(emulator, projectId, policyId);
  }
}

function arm(
  emulator: Emulator,
  projectId: string,
  policyId: string,
  key: string,
  generation: number,
  rules: Rrule[],
  anchor: number,
  after: number,
): void {
  const next = nextOccurrence(rules, after, anchor);
  if (next === undefined) return;
  const wait = next - emulator.clock.now();
  if (wait > MAX_SLEEP_MS) {
    emulator.clock.schedule(MAX_SLEEP_MS, () => {
      if (isCurrent(emulator, key, generation)) arm(emulator, projectId, policyId, key, generation, rules, anchor, after);
    });
    return;
  }
  emulator.clock.schedule(wait, () => {
    if (!isCurrent(emulator, key, generation)) return;
    firePolicy(emulator, projectId, policyId);
    arm(emulator, projectId, policyId, key, generation, rules, anchor, next);
  });
}

/**
 * One run of a policy: a restore point for every vault it is applied to that is available and has resources.
 * A vault the service refuses to back up (an ApiError such as a busy resource) is skipped for this run, as
 * the real service records a failed or skipped run and carries on.
 */
export function firePolicy(emulator: Emulator, projectId: string, policyId: string): void {
  const project = emulator.state.projects.get(projectId);
  const policy = project?.policies.get(policyId);
  if (!project || !policy?.enabled) return;
  if (policy.operation_type === 'replication') {
    replicateByPolicy(emulator, projectId, policy);
    return;
  }
  for (const { vault_id } of policy.associated_vaults ?? []) {
    const vault = project.vaults.get(vault_id);
    if (!vault || vault.billing.status !== 'available' || vault.resources.length === 0) continue;
    try {
      createRestorePoint(emulator, projectId, { vault_id, parameters: { auto_trigger: true, policy_id: policy.id } });
    } catch (error) {
      if (!(error instanceof ApiError)) console.error('emulator: policy run failed', error);
      continue;
    }
    applyRetention(emulator, projectId, vault_id, policy);
  }
}

/**
 * Deletes the vault's automatic backups the policy no longer keeps: per resource, those beyond the newest
 * `max_backups`, and those older than `retention_duration_days`. Backups still being created count towards
 * `max_backups` but are never deleted themselves. Manual backups are never touched.
 */
function applyRetention(emulator: Emulator, projectId: string, vaultId: string, policy: Policy): void {
  const maxBackups = policy.operation_definition.max_backups ?? -1;
  const retentionDays = policy.operation_definition.retention_duration_days ?? -1;
  if (maxBackups <= 0 && retentionDays <= 0) return;
  const project = emulator.state.project(projectId);
  // Insertion order is creation order: created_at ties are common on a frozen clock.
  const automatic = [...project.backups.values()].filter(
    (b) => b.vault_id === vaultId && !b.parent_id && b.extend_info?.auto_trigger === true && b.status !== 'deleting',
  );
  const expired = new Set<string>();
  if (maxBackups > 0) {
    const byResource = new Map<string, typeof automatic>();
    for (const backup of automatic) byResource.set(backup.resource_id, [...(byResource.get(backup.resource_id) ?? []), backup]);
    for (const backups of byResource.values()) {
      for (const backup of backups.slice(0, Math.max(0, backups.length - maxBackups))) expired.add(backup.id);
    }
  }
  if (retentionDays > 0) {
    const cutoff = emulator.clock.now() - retentionDays * DAY_MS;
    for (const backup of automatic) if ((parseUtc(backup.created_at) ?? Infinity) < cutoff) expired.add(backup.id);
  }
  const deletable = automatic.filter((b) => expired.has(b.id) && canTransition('backup', b.status, 'deleting'));
  if (deletable.length > 0) removeBackups(emulator, projectId, deletable.map((b) => b.id));
}

/** Epoch ms of a UTC timestamp written with or without a zone (`2020-01-08 09:59:49`, `…T…209782`, `…Z`). */
function parseUtc(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const iso = text.replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}
