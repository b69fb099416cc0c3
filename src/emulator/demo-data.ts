/**
 * The demo dataset: a small company's account as someone exploring the emulator should find it. Servers, disks and
 * SFS Turbo file systems, most of them protected in server/disk/turbo vaults; a daily and a weekly policy that have
 * been running for months (a few hundred backups, a few failed); the last week of operation logs of every type, one
 * backup still running; a server backup offered to the second project; two legacy VBS policies.
 *
 * Everything is built directly in state, in the wire shapes the stores write, relative to the emulator clock's now,
 * with ids from `emulator.ids`: the same clock start gives the same dataset. Records are inserted in chronological
 * order, because the stores list "newest first" by insertion order.
 */
import { scheduleStep } from './async-work';
import type { Emulator } from './context';
import { apiError } from './errors';
import type { ErrorCode } from './error-codes';
import { DEMO_PROJECT, DEMO_PROJECT_2, DEMO_USER } from './demo-identity';
import type { CloudResource, ProjectState } from './state';
import { backupExtendInfo, backupTime, beginBackup, completeBackup, vaultView } from './store/backup';
import { transition } from './store/lifecycle';
import { policyTime } from './store/policy';
import { restorePointCompleteStep } from './store/restore-point';
import { schedulePolicy } from './store/scheduler';
import { setTaskProgress, taskProgressStep, taskTime } from './store/task';
import { vaultTime } from './store/vault';
import { associateVbsPolicyResources, createVbsPolicy, recordVbsBackupTask, vbsTime } from './store/vbs-policy';
import { PROVIDER_IDS, type ObjectType, type ResourceType } from '../upstream/schemas/common';
import { SPEC_CODES, type Vault } from '../upstream/schemas/vault';
import type { Policy } from '../upstream/schemas/policy';
import type { Backup } from '../upstream/schemas/backup';
import type { Checkpoint, CheckpointResource } from '../upstream/schemas/restore-point';
import type { OperationLog, OpErrorInfo, OpExtraInfo } from '../upstream/schemas/task';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The daily policy keeps 30 days (`retention_duration_days`), the weekly one 16 backups (`max_backups`). */
export const DAILY_RETENTION_DAYS = 30;
export const WEEKLY_MAX_BACKUPS = 16;
/** Backup operation logs exist for the last this-many daily runs (and the last weekly run): the week shown as "recent". */
export const TASK_WINDOW_RUNS = 7;

// ---------------------------------------------------------------------------------------------------------------
// The cloud: what exists (names are what a person reads; sizes in GB)

interface ServerSpec {
  name: string;
  az: string;
  /** Disk name suffix and size; the first disk is the system disk. */
  disks: Array<[string, number]>;
}

const SERVERS: ServerSpec[] = [
  { name: 'web-01', az: 'eu-de-01', disks: [['sys', 40], ['data', 60]] },
  { name: 'web-02', az: 'eu-de-02', disks: [['sys', 40], ['data', 60]] },
  { name: 'web-03', az: 'eu-de-03', disks: [['sys', 40]] },
  { name: 'app-01', az: 'eu-de-01', disks: [['sys', 50], ['data', 100]] },
  { name: 'app-02', az: 'eu-de-02', disks: [['sys', 50], ['data', 100]] },
  { name: 'db-primary', az: 'eu-de-01', disks: [['sys', 40], ['data', 200], ['wal', 50]] },
  { name: 'db-replica', az: 'eu-de-02', disks: [['sys', 40], ['data', 200], ['wal', 50]] },
  { name: 'bastion', az: 'eu-de-01', disks: [['sys', 20]] },
  { name: 'ci-runner', az: 'eu-de-03', disks: [['sys', 80], ['cache', 150]] },
];

/** Standalone EVS disks (not attached to a listed server). */
const VOLUMES: Array<[string, string, number]> = [
  ['shared-data-01', 'eu-de-01', 200],
  ['shared-data-02', 'eu-de-02', 200],
  ['uploads', 'eu-de-01', 100],
  ['reports', 'eu-de-03', 50],
  ['logs-archive', 'eu-de-02', 500],
  ['analytics-scratch', 'eu-de-01', 250],
  ['legacy-ftp-data', 'eu-de-02', 150],
];

const TURBOS: Array<[string, string, number]> = [
  ['sfs-turbo-home', 'eu-de-01', 250],
  ['sfs-turbo-media', 'eu-de-02', 500],
  ['sfs-turbo-build', 'eu-de-03', 300],
];

type VaultKey = 'prod' | 'app' | 'dev' | 'disks' | 'archive' | 'turbo';

interface VaultSpec {
  key: VaultKey;
  name: string;
  objectType: ObjectType;
  /** Capacity (GB) before it is grown to fit the history. */
  size: number;
  description: string;
  resources: string[];
  tags: Array<[string, string]>;
}

/** web-03, analytics-scratch, legacy-ftp-data and sfs-turbo-build are not in a vault (the middle two are in VBS). */
const VAULTS: VaultSpec[] = [
  { key: 'prod', name: 'vault-prod-servers', objectType: 'server', size: 1000, description: 'Production web and database servers', resources: ['web-01', 'web-02', 'db-primary', 'db-replica'], tags: [['env', 'prod'], ['team', 'platform']] },
  { key: 'app', name: 'vault-app-servers', objectType: 'server', size: 500, description: 'Application tier, weekly', resources: ['app-01', 'app-02', 'bastion'], tags: [['env', 'prod'], ['team', 'apps']] },
  { key: 'dev', name: 'vault-dev-servers', objectType: 'server', size: 500, description: 'Manual backups before risky changes', resources: ['ci-runner'], tags: [['env', 'dev']] },
  { key: 'disks', name: 'vault-disks-daily', objectType: 'disk', size: 1000, description: 'Shared data disks', resources: ['shared-data-01', 'shared-data-02', 'uploads', 'reports'], tags: [['env', 'prod']] },
  { key: 'archive', name: 'vault-disks-archive', objectType: 'disk', size: 1000, description: 'Log archive, weekly', resources: ['logs-archive'], tags: [['env', 'prod'], ['retention', 'long']] },
  { key: 'turbo', name: 'vault-sfs-turbo', objectType: 'turbo', size: 2000, description: 'Home and media file systems', resources: ['sfs-turbo-home', 'sfs-turbo-media'], tags: [['env', 'prod']] },
];

const POLICY_VAULTS: Record<'daily' | 'weekly', VaultKey[]> = { daily: ['prod', 'disks', 'turbo'], weekly: ['app', 'archive'] };

/** Runs that failed for one resource: policy, run index (0 = most recent), resource, and the code its log reports. */
const FAILURES: Array<{ policy: 'daily' | 'weekly'; run: number; resource: string; code: ErrorCode }> = [
  { policy: 'daily', run: 2, resource: 'sfs-turbo-media', code: 'BackupService.7504' },
  { policy: 'daily', run: 11, resource: 'db-replica', code: 'BackupService.8300' },
  { policy: 'daily', run: 19, resource: 'shared-data-02', code: 'BackupService.7203' },
  { policy: 'weekly', run: 4, resource: 'app-02', code: 'BackupService.8300' },
];

/** Manual backups of ci-runner in the dev vault: days ago, name (`null`: a generated `manualbk_` name), description. */
const MANUAL_BACKUPS: Array<[number, string | null, string | null]> = [
  [150, 'ci-runner-baseline', 'State after provisioning'],
  [110, 'before-os-patch', 'Before the quarterly OS patch'],
  [75, null, null],
  [40, 'before-disk-resize', 'Before growing the cache disk'],
  [12, 'before-jenkins-upgrade', 'Jenkins 2.4 -> 2.5'],
  [2, null, null],
];

// ---------------------------------------------------------------------------------------------------------------

/**
 * Loads the demo dataset into the two demo projects (created if missing) and arms the demo policies' schedules.
 * Call on an empty state. Deterministic for a given clock start and id seed.
 */
export function loadDemoData(emulator: Emulator): void {
  const main = ensureProject(emulator, DEMO_PROJECT);
  const second = ensureProject(emulator, DEMO_PROJECT_2);
  buildMainProject(emulator, main);
  buildSecondProject(emulator, second);
  for (const policyId of main.policies.keys()) schedulePolicy(emulator, main.id, policyId);
}

function ensureProject(emulator: Emulator, project: { id: string; name: string }): ProjectState {
  return emulator.state.projects.get(project.id) ?? emulator.state.addProject(project.id, project.name);
}

interface Run {
  policy: 'daily' | 'weekly';
  /** 0 = the most recent run of its policy. */
  index: number;
  at: number;
}

function buildMainProject(emulator: Emulator, project: ProjectState): void {
  const now = emulator.clock.now();
  const ids = () => emulator.ids; // replaced on reset: never hold on to it
  const byName = new Map<string, CloudResource>();
  const vaults = new Map<VaultKey, Vault>();
  const policies = new Map<'daily' | 'weekly', Policy>();
  /** Completed backups per `vaultId:resourceId`: decides incremental and the restore points' counts, without rescans. */
  const completed = new Map<string, { count: number; sizeGb: number }>();
  const tasks: OperationLog[] = [];
  const events: Array<{ at: number; seq: number; apply: () => void }> = [];

  /** History is applied in time order so that ids and insertion order follow the timeline. */
  const on = (at: number, apply: () => void) => events.push({ at, seq: events.length, apply });
  /** `autobk_`/`manualbk_` plus 4 hex digits, taken from the restore point's id (no extra id drawn). */
  const shortName = (prefix: string, id: string) => `${prefix}_${id.slice(0, 4)}`;

  const cloud = (name: string): CloudResource => {
    const found = byName.get(name);
    if (!found) throw new Error(`demo data: no cloud resource ${name}`);
    return found;
  };
  const vault = (key: VaultKey): Vault => vaults.get(key)!;

  // ---- the cloud, vaults, policies --------------------------------------------------------------------------

  const add = (resource: CloudResource) => {
    project.cloudResources.set(resource.id, resource);
    byName.set(resource.name, resource);
  };
  for (const server of SERVERS) {
    const disks = server.disks.map(([suffix, sizeGb], i) => ({ id: ids().uuid(), name: `${server.name}-${suffix}`, sizeGb, bootable: i === 0 }));
    add({ id: ids().uuid(), type: 'OS::Nova::Server', name: server.name, sizeGb: sum(disks.map((d) => d.sizeGb)), availabilityZone: server.az, disks });
  }
  for (const [name, az, sizeGb] of VOLUMES) add({ id: ids().uuid(), type: 'OS::Cinder::Volume', name, sizeGb, availabilityZone: az });
  for (const [name, az, sizeGb] of TURBOS) add({ id: ids().uuid(), type: 'OS::Sfs::Turbo', name, sizeGb, availabilityZone: az });

  VAULTS.forEach((spec, i) => {
    const record = vaultRecord(emulator, project.id, {
      name: spec.name,
      description: spec.description,
      objectType: spec.objectType,
      size: spec.size,
      createdAt: now - 180 * DAY + i * 7 * MINUTE,
      tags: spec.tags,
    });
    record.resources = spec.resources.map((name) => {
      const resource = cloud(name);
      return { id: resource.id, name: resource.name, type: resource.type, protect_status: 'available', size: resource.sizeGb, backup_size: 0, backup_count: 0 };
    });
    project.vaults.set(record.id, record);
    vaults.set(spec.key, record);
  });

  const addPolicy = (name: string, enabled: boolean, pattern: string, definition: Policy['operation_definition'], keys: VaultKey[]): Policy => {
    const record: Policy = {
      id: ids().uuid(),
      name,
      operation_type: 'backup',
      operation_definition: definition,
      enabled,
      trigger: { id: ids().uuid(), name: 'default', type: 'time', properties: { pattern: [pattern], start_time: policyTime(now - 180 * DAY + HOUR) } },
      associated_vaults: keys.map((key) => ({ vault_id: vault(key).id })),
    };
    project.policies.set(record.id, record);
    return record;
  };
  // Trigger hours are UTC (rrule.ts): 01:00 and 02:00 UTC are 02:00 and 03:00 in the policies' UTC+01:00.
  policies.set('daily', addPolicy('daily-0200', true, 'FREQ=DAILY;INTERVAL=1;BYHOUR=1;BYMINUTE=00', { retention_duration_days: DAILY_RETENTION_DAYS, timezone: 'UTC+01:00' }, POLICY_VAULTS.daily));
  policies.set('weekly', addPolicy('weekly-sunday', true, 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=00', { max_backups: WEEKLY_MAX_BACKUPS, timezone: 'UTC+01:00' }, POLICY_VAULTS.weekly));
  addPolicy(
    'db-workdays-2x',
    false,
    'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=11,17;BYMINUTE=00',
    { max_backups: 10, day_backups: 7, week_backups: 4, month_backups: 6, year_backups: 1, timezone: 'UTC+01:00' },
    [],
  );

  // ---- backups: one restore point per vault and run, one backup per resource, children per server disk -------

  /** Daily runs at 01:00 UTC and weekly runs on Sundays 02:00 UTC, the latest at least 30 minutes before now. */
  const latestRun = (hour: number, sundaysOnly: boolean): number => {
    let at = dayStart(now) + hour * HOUR;
    while (at > now - 30 * MINUTE || (sundaysOnly && new Date(at).getUTCDay() !== 0)) at -= DAY;
    return at;
  };
  const daily = latestRun(1, false);
  const weekly = latestRun(2, true);
  const runs: Run[] = [
    ...Array.from({ length: DAILY_RETENTION_DAYS }, (_, index): Run => ({ policy: 'daily', index, at: daily - index * DAY })),
    ...Array.from({ length: WEEKLY_MAX_BACKUPS }, (_, index): Run => ({ policy: 'weekly', index, at: weekly - index * 7 * DAY })),
  ];
  for (const run of runs) {
    on(run.at, () =>
      POLICY_VAULTS[run.policy].forEach((key, v) => {
        const failures = FAILURES.filter((f) => f.policy === run.policy && f.run === run.index);
        backupRun({
          vault: vault(key),
          at: run.at + v * 2 * MINUTE,
          policy: policies.get(run.policy)!,
          retentionDays: run.policy === 'daily' ? DAILY_RETENTION_DAYS : -1,
          name: (checkpointId) => shortName('autobk', checkpointId),
          description: null,
          logged: run.index < (run.policy === 'daily' ? TASK_WINDOW_RUNS : 1),
          failures: new Map(failures.map((f) => [f.resource, f.code])),
        });
      }),
    );
  }
  for (const [daysAgo, name, description] of MANUAL_BACKUPS) {
    // Early afternoon (UTC) of that day: in the past for any daysAgo >= 1.
    const at = dayStart(now - daysAgo * DAY) + 14 * HOUR + 17 * MINUTE;
    on(at, () =>
      backupRun({
        vault: vault('dev'),
        at,
        policy: undefined,
        retentionDays: -1,
        name: (checkpointId) => name ?? shortName('manualbk', checkpointId),
        description,
        logged: daysAgo <= TASK_WINDOW_RUNS,
        failures: new Map(),
      }),
    );
  }

  interface BackupRun {
    vault: Vault;
    at: number;
    policy: Policy | undefined;
    /** -1: kept until deleted. */
    retentionDays: number;
    /** All backups of one restore point share its name (as the restore-point store names them). */
    name: (checkpointId: string) => string;
    description: string | null;
    /** Whether the run's `backup` operation logs are part of the dataset. */
    logged: boolean;
    failures: Map<string, ErrorCode>;
  }

  /** What `createRestorePoint` leaves behind once its run finished, dated `run.at`. */
  function backupRun(run: BackupRun): void {
    const checkpointId = ids().uuid();
    const name = run.name(checkpointId);
    const resources = run.vault.resources.map((r) => cloud(r.name!));
    const outcomes = resources.map((resource, i) => {
      const created = run.at + i * 23_000;
      const done = created + (2 + Math.ceil(resource.sizeGb / 100)) * MINUTE;
      const failure = run.failures.get(resource.name);
      const backup = addBackup({ resource, vault: run.vault, checkpointId, name, description: run.description, created, done, failed: failure !== undefined, auto: run.policy !== undefined, retentionDays: run.retentionDays });
      if (run.logged) {
        const error = failure ? apiError(failure) : undefined;
        addTask({
          type: 'backup',
          at: created,
          end: done,
          status: error ? 'failed' : 'success',
          error: error && { code: error.code, message: error.message },
          vault: run.vault,
          policyId: run.policy?.id ?? null,
          checkpointId,
          extra: {
            backup: { backup_id: backup.id, backup_name: backup.name, incremental: backup.incremental ? 'true' : 'false' },
            resource: { id: resource.id, type: resource.type, name: resource.name },
          },
        });
      }
      return failure === undefined;
    });
    const checkpoint: Checkpoint = {
      id: checkpointId,
      project_id: project.id,
      status: outcomes.some(Boolean) ? 'available' : 'error',
      created_at: backupTime(run.at),
      vault: {
        id: run.vault.id,
        name: run.vault.name,
        resources: resources.map((resource, i) => checkpointEntry(resource, run.vault.id, outcomes[i] ? 'available' : 'error')),
        skipped_resources: [],
      },
      extra_info: { name, description: run.description, retention_duration: run.retentionDays },
    };
    project.restorePoints.set(checkpoint.id, checkpoint);
  }

  /** Table 4-72 entry as the restore-point store writes it: strings, counts of the resource's completed backups. */
  function checkpointEntry(resource: CloudResource, vaultId: string, status: 'available' | 'error' | 'protecting'): CheckpointResource {
    const done = completed.get(`${vaultId}:${resource.id}`);
    return {
      id: resource.id,
      type: resource.type,
      name: resource.name,
      extra_info: '{}',
      resource_size: String(resource.sizeGb),
      backup_size: String(done?.sizeGb ?? 0),
      backup_count: String(done?.count ?? 0),
      protect_status: status,
    };
  }

  /** A finished backup in the shape `beginBackup` + `completeBackup` give it. */
  function addBackup(input: {
    resource: CloudResource;
    vault: Vault;
    checkpointId: string;
    name: string;
    description: string | null;
    created: number;
    done: number;
    failed: boolean;
    auto: boolean;
    retentionDays: number;
  }): Backup {
    const { resource } = input;
    const key = `${input.vault.id}:${resource.id}`;
    const incremental = completed.has(key);
    if (!input.failed) {
      const entry = completed.get(key) ?? { count: 0, sizeGb: 0 };
      completed.set(key, { count: entry.count + 1, sizeGb: entry.sizeGb + resource.sizeGb });
    }
    const record = (fields: {
      id: string;
      name: string;
      parentId: string | null;
      resource: { id: string; name: string; sizeGb: number };
      type: ResourceType;
      extendInfo: NonNullable<Backup['extend_info']>;
    }): Backup => ({
      // One object literal per record: spreading a shared part and adding fields is ~30x slower in V8 at this size.
      id: fields.id,
      name: fields.name,
      description: input.description,
      status: input.failed ? 'error' : 'available',
      checkpoint_id: input.checkpointId,
      project_id: project.id,
      vault_id: input.vault.id,
      parent_id: fields.parentId,
      resource_id: fields.resource.id,
      resource_type: fields.type,
      resource_name: fields.resource.name,
      resource_size: fields.resource.sizeGb,
      resource_az: resource.availabilityZone,
      provider_id: PROVIDER_IDS[objectTypeOf(resource.type)],
      image_type: 'backup',
      created_at: createdAt,
      updated_at: doneAt,
      protected_at: input.failed ? null : doneAt,
      expired_at: expiredAt,
      enterprise_project_id: '0',
      incremental,
      replication_records: [],
      children: [],
      extend_info: fields.extendInfo,
    });
    const createdAt = backupTime(input.created);
    const doneAt = backupTime(input.done);
    const expiredAt = input.retentionDays > 0 ? backupTime(input.created + input.retentionDays * DAY) : null;
    const backup = record({
      id: ids().uuid(),
      name: input.name,
      parentId: null,
      resource,
      type: resource.type,
      extendInfo: backupExtendInfo(resource.type, {
        autoTrigger: input.auto,
        incremental,
        snapshotId: resource.type === 'OS::Cinder::Volume' ? ids().uuid() : null,
      }),
    });
    project.backups.set(backup.id, backup);
    // The children are the disk backups of a server backup; the emulator's failures hit the whole server backup,
    // so a failed one keeps its children in `error` too.
    for (const disk of resource.disks ?? []) {
      const child = record({
        id: ids().uuid(),
        name: `${input.name}_${disk.name}`,
        parentId: backup.id,
        resource: disk,
        type: 'OS::Cinder::Volume',
        extendInfo: backupExtendInfo('OS::Cinder::Volume', {
          autoTrigger: input.auto,
          incremental,
          bootable: disk.bootable,
          snapshotId: ids().uuid(),
          child: true,
        }),
      });
      project.backups.set(child.id, child);
    }
    return backup;
  }

  // ---- other operations of the last week ---------------------------------------------------------------------

  /** A restore of the resource's latest completed backup before `at`, into the resource itself. */
  const restore = (at: number, resourceName: string, key: VaultKey, status: 'success' | 'failed') =>
    on(at, () => {
      const resource = cloud(resourceName);
      const before = backupTime(at);
      let source: Backup | undefined;
      for (const b of project.backups.values()) {
        if (b.resource_id === resource.id && b.parent_id == null && b.status === 'available' && b.created_at < before) source = b;
      }
      if (!source) throw new Error(`demo data: no backup of ${resourceName} to restore`);
      const error = status === 'failed' ? apiError('BackupService.2011') : undefined;
      addTask({
        type: 'restore',
        at,
        end: at + (status === 'failed' ? 3 : 11) * MINUTE,
        status,
        error: error && { code: error.code, message: error.message },
        vault: vault(key),
        policyId: null,
        checkpointId: source.checkpoint_id,
        extra: {
          restore: { backup_id: source.id, backup_name: source.name, target_resource_id: resource.id, target_resource_name: resource.name },
          resource: { id: resource.id, type: resource.type, name: resource.name },
        },
      });
    });
  restore(now - 5 * DAY + 9 * HOUR, 'db-primary', 'prod', 'success');
  restore(now - 3 * DAY + 2 * HOUR, 'shared-data-01', 'disks', 'failed');
  restore(now - 1 * DAY + 4 * HOUR, 'sfs-turbo-home', 'turbo', 'success');

  // Two old manual backups of ci-runner were deleted by hand this week (they exist only in their logs).
  const ciRunner = cloud('ci-runner');
  [6 * DAY - 2 * HOUR, 6 * DAY - 2 * HOUR - 50_000].forEach((ago) =>
    on(now - ago, () => {
      const deletedId = ids().uuid();
      addTask({
        type: 'delete',
        at: now - ago,
        end: now - ago + 35_000,
        status: 'success',
        vault: vault('dev'),
        policyId: null,
        checkpointId: ids().uuid(),
        extra: {
          delete: { backup_id: deletedId, backup_name: shortName('manualbk', deletedId) },
          resource: { id: ciRunner.id, type: ciRunner.type, name: ciRunner.name },
        },
      });
    }),
  );

  const deletedVault = { id: ids().uuid(), name: 'vault-legacy-test', provider_id: PROVIDER_IDS.server };
  on(now - 6 * DAY + 3 * HOUR, () =>
    addTask({
      type: 'vault_delete',
      at: now - 6 * DAY + 3 * HOUR,
      end: now - 6 * DAY + 3 * HOUR + 70_000,
      status: 'success',
      vault: deletedVault,
      policyId: null,
      checkpointId: null,
      extra: { resource: { id: deletedVault.id, type: 'OS::Nova::Server', name: deletedVault.name }, vault_delete: { fail_count: 0, total_count: 3 } },
    }),
  );

  // web-03 used to be in the dev vault: removing it (with its backups there) left it unprotected.
  const web03 = cloud('web-03');
  on(now - 4 * DAY + 5 * HOUR, () =>
    addTask({
      type: 'remove_resource',
      at: now - 4 * DAY + 5 * HOUR,
      end: now - 4 * DAY + 5 * HOUR + 45_000,
      status: 'success',
      vault: vault('dev'),
      policyId: null,
      checkpointId: null,
      extra: {
        resource: { id: web03.id, type: web03.type, name: web03.name },
        remove_resources: { fail_count: 0, total_count: 1, resources: [{ id: web03.id, type: web03.type, name: web03.name }] },
      },
    }),
  );

  // A server backup offered to the second project, not accepted there yet.
  on(now - 1 * DAY, () => {
    let shared: Backup | undefined;
    for (const b of project.backups.values()) if (b.name === 'before-jenkins-upgrade' && b.parent_id == null) shared = b;
    if (!shared) throw new Error('demo data: the shared backup is missing');
    const member = {
      id: ids().uuid(),
      status: 'pending' as const,
      backup_id: shared.id,
      dest_project_id: DEMO_PROJECT_2.id,
      vault_id: null,
      image_id: null,
      created_at: backupTime(now - 1 * DAY),
      updated_at: null,
    };
    project.shareMembers.set(shared.id, new Map([[DEMO_PROJECT_2.id, member]]));
  });

  function addTask(input: {
    type: OperationLog['operation_type'];
    at: number;
    end: number;
    status: 'success' | 'failed';
    error?: OpErrorInfo;
    vault: { id: string; name: string; provider_id?: string | null };
    policyId: string | null;
    checkpointId: string | null;
    extra: Omit<OpExtraInfo, 'common'>;
  }): void {
    tasks.push({
      id: ids().uuid(),
      project_id: project.id,
      operation_type: input.type,
      status: input.status,
      checkpoint_id: input.checkpointId,
      policy_id: input.policyId,
      provider_id: input.vault.provider_id,
      vault_id: input.vault.id,
      vault_name: input.vault.name,
      created_at: taskTime(input.at),
      started_at: taskTime(input.at),
      updated_at: taskTime(input.end),
      ended_at: taskTime(input.end),
      error_info: input.error ?? { code: '', message: '' },
      // `extra` is a fresh literal per call: adding `common` to it avoids a (slow) spread copy.
      extra_info: Object.assign(input.extra, { common: { progress: 100, request_id: `req-${ids().uuid()}`, task_id: ids().uuid() } }),
    });
  }

  // ---- apply the history, then the figures derived from it ---------------------------------------------------

  events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  for (const event of events) event.apply();
  // Tasks of one run interleave with those of the next vault's run: order them by time (stable for ties).
  tasks.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
  for (const task of tasks) project.tasks.set(task.id, task);
  sizeVaults(project, vaults.values());
  startRunningBackup(emulator, project, vault('prod'), cloud('db-primary'));
  addVbsPolicies(emulator, project, cloud);
}

/**
 * Writes each vault's figures as the vault store presents them (it recomputes them on every read; the stored record
 * agrees): every top-level backup not being deleted counts and occupies its resource's full size. Then grows the
 * vault to hold its history plus half again, so the schedule keeps succeeding for months.
 */
function sizeVaults(project: ProjectState, vaults: Iterable<Vault>): void {
  const usage = new Map<string, { count: number; sizeGb: number }>();
  for (const backup of project.backups.values()) {
    if (backup.parent_id != null || backup.status === 'deleting') continue;
    const key = `${backup.vault_id}:${backup.resource_id}`;
    const entry = usage.get(key) ?? { count: 0, sizeGb: 0 };
    usage.set(key, { count: entry.count + 1, sizeGb: entry.sizeGb + (backup.resource_size ?? 0) });
  }
  for (const vault of vaults) {
    let usedGb = 0;
    for (const resource of vault.resources) {
      const entry = usage.get(`${vault.id}:${resource.id}`);
      resource.backup_count = entry?.count ?? 0;
      resource.backup_size = entry?.sizeGb ?? 0;
      usedGb += resource.backup_size;
    }
    vault.billing.used = usedGb * 1024;
    vault.billing.allocated = sum(vault.resources.map((r) => r.size ?? 0));
    vault.billing.size = Math.max(vault.billing.size, Math.ceil((usedGb * 1.5) / 1000) * 1000);
  }
}

/**
 * A manual backup of db-primary started at load time through the backup store, so it progresses and completes like
 * any backup: progress 35 → 70 → done, 20 s apart on the emulator clock, whatever the lifecycle mode (the demo shows
 * work in flight even when requests complete at once).
 */
function startRunningBackup(emulator: Emulator, project: ProjectState, vault: Vault, server: CloudResource): void {
  const view = vaultView(project, vault.id)!;
  const resource = view.resources.find((r) => r.id === server.id)!;
  const checkpointId = emulator.ids.uuid();
  const name = `manualbk_${checkpointId.slice(0, 4)}`;
  const description = 'Before schema migration 42';
  const entry = (status: 'protecting' | 'available' | 'error'): CheckpointResource => {
    const done = [...project.backups.values()].filter((b) => b.vault_id === vault.id && b.resource_id === server.id && b.parent_id == null && b.status === 'available');
    return {
      id: server.id,
      type: server.type,
      name: server.name,
      extra_info: '{}',
      resource_size: String(server.sizeGb),
      backup_size: String(sum(done.map((b) => b.resource_size ?? 0))),
      backup_count: String(done.length),
      protect_status: status,
    };
  };
  const checkpoint: Checkpoint = {
    id: checkpointId,
    project_id: project.id,
    status: 'protecting',
    created_at: backupTime(emulator.clock.now()),
    vault: { id: vault.id, name: vault.name, resources: [entry('protecting')], skipped_resources: [] },
    extra_info: { name, description, retention_duration: -1 },
  };
  project.restorePoints.set(checkpoint.id, checkpoint);
  const { backup, taskId } = beginBackup(emulator, project, {
    vault: view,
    resource,
    checkpointId,
    name,
    description,
    autoTrigger: false,
    incremental: undefined,
    policyId: null,
    expiredAt: null,
  });
  setTaskProgress(emulator, project.id, taskId, 35);
  // Steps stored as data (async-work.ts): a restart with --state resumes them with the wait they had left.
  scheduleStep(emulator, project.id, taskProgressStep({ taskIds: taskId ? [taskId] : [], progress: 70 }), 20_000);
  scheduleStep(emulator, project.id, restorePointCompleteStep({ checkpointId, runs: [{ backupId: backup.id, taskId, resource }] }), 40_000);
}

/** Two legacy VBS policies: a nightly one with two volumes CBR does not protect, and a disabled weekly one. */
function addVbsPolicies(emulator: Emulator, project: ProjectState, cloud: (name: string) => CloudResource): void {
  const now = emulator.clock.now();
  const volumes = ['analytics-scratch', 'legacy-ftp-data'].map(cloud);
  const nightly = createVbsPolicy(emulator, project, {
    backup_policy_name: 'vbs-nightly-legacy',
    scheduled_policy: { start_time: '23:00', frequency: 1, rentention_num: 7, remain_first_backup_of_curMonth: 'Y', status: 'ON' },
    time_zone: 'UTC+01:00',
  });
  associateVbsPolicyResources(project, {
    backup_policy_id: nightly.backup_policy_id,
    resources: volumes.map((volume) => ({ resource_id: volume.id, resource_type: 'volume' })),
  });
  createVbsPolicy(emulator, project, {
    backup_policy_name: 'vbs-weekly-archive',
    scheduled_policy: { start_time: '03:00', week_frequency: ['SAT'], rentention_day: 90, remain_first_backup_of_curMonth: 'N', status: 'OFF' },
  });
  // Its backup jobs of the last three nights (23:00 UTC, the latest at least 30 minutes ago).
  const lastNight = dayStart(now) + 23 * HOUR - (now - dayStart(now) < 23 * HOUR + 30 * MINUTE ? DAY : 0);
  for (let night = 2; night >= 0; night--) {
    volumes.forEach((volume, i) => {
      const at = lastNight - night * DAY + i * 40_000;
      const jobId = emulator.ids.uuid();
      recordVbsBackupTask(project, nightly.backup_policy_id, {
        job_id: jobId,
        status: 'EXECUTE_SUCCESS',
        created_at: vbsTime(at),
        finished_at: vbsTime(at + 6 * MINUTE),
        backup_name: `autobk_${jobId.slice(0, 4)}`,
        resource_id: volume.id,
        resource_type: 'volume',
        vbs_job_id: emulator.ids.uuid(),
      });
    });
  }
}

/** The second project: one unprotected server and an empty server vault to accept the shared backup into. */
function buildSecondProject(emulator: Emulator, project: ProjectState): void {
  const now = emulator.clock.now();
  const disk = { id: emulator.ids.uuid(), name: 'sandbox-01-sys', sizeGb: 40, bootable: true };
  const server: CloudResource = { id: emulator.ids.uuid(), type: 'OS::Nova::Server', name: 'sandbox-01', sizeGb: 40, availabilityZone: 'eu-de-01', disks: [disk] };
  project.cloudResources.set(server.id, server);
  const vault = vaultRecord(emulator, project.id, {
    name: 'vault-shared-imports',
    description: 'Backups shared from eu-de',
    objectType: 'server',
    size: 500,
    createdAt: now - 20 * DAY,
    tags: [],
  });
  project.vaults.set(vault.id, vault);
}

/** An empty post-paid backup vault as `createVault` stores it. */
function vaultRecord(
  emulator: Emulator,
  projectId: string,
  spec: { name: string; description: string; objectType: ObjectType; size: number; createdAt: number; tags: Array<[string, string]> },
): Vault {
  return {
    id: emulator.ids.uuid(),
    name: spec.name,
    description: spec.description,
    resources: [],
    provider_id: PROVIDER_IDS[spec.objectType],
    created_at: vaultTime(spec.createdAt),
    project_id: projectId,
    enterprise_project_id: '0',
    auto_bind: false,
    bind_rules: {},
    auto_expand: false,
    smn_notify: true,
    threshold: 80,
    user_id: DEMO_USER.id,
    billing: {
      allocated: 0,
      cloud_type: 'public',
      consistent_level: 'crash_consistent',
      frozen_scene: null,
      charging_mode: 'post_paid',
      order_id: null,
      product_id: null,
      protect_type: 'backup',
      object_type: spec.objectType,
      spec_code: SPEC_CODES[spec.objectType],
      used: 0,
      storage_unit: null,
      status: 'available',
      size: spec.size,
      is_multi_az: false,
    },
    tags: spec.tags.map(([key, value]) => ({ key, value })),
  };
}


/** Midnight UTC of the day `ms` falls in. */
function dayStart(ms: number): number {
  return ms - (((ms % DAY) + DAY) % DAY);
}

function objectTypeOf(type: ResourceType): ObjectType {
  return type === 'OS::Nova::Server' ? 'server' : type === 'OS::Cinder::Volume' ? 'disk' : 'turbo';
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
