/**
 * All emulator state: plain typed maps per project (like localstack's per-account stores).
 * Records are kept in their wire shape so that a GET answers exactly what a create stored.
 * Business rules live in store/*, never in HTTP handlers.
 */
import type { Vault } from '../upstream/schemas/vault';
import type { Policy } from '../upstream/schemas/policy';
import type { Backup } from '../upstream/schemas/backup';
import type { Checkpoint } from '../upstream/schemas/restore-point';
import type { OperationLog } from '../upstream/schemas/task';
import type { Member } from '../upstream/schemas/share-member';
import type { VbsBackupTask, VbsPolicy } from '../upstream/schemas/vbs-policy';

/** A server, disk or SFS Turbo file system that exists in the emulated cloud and can be protected. */
export interface CloudResource {
  id: string;
  type: 'OS::Nova::Server' | 'OS::Cinder::Volume' | 'OS::Sfs::Turbo';
  name: string;
  /** Size in GB (for a server: the sum of its disks). */
  sizeGb: number;
  availabilityZone: string;
  /** Disks attached to a server (a server backup gets one child backup per disk). */
  disks?: Array<{ id: string; name: string; sizeGb: number; bootable: boolean }>;
}

/** A step of asynchronous work waiting to run (see async-work.ts, which registers what each kind does). */
export interface PendingStep {
  kind: string;
  /** Emulator clock time (epoch ms) at which it runs. */
  dueAt: number;
  /** JSON data handed to the kind's function. */
  args: unknown;
}

export interface ProjectState {
  id: string;
  name: string;
  /** Servers, disks and file systems of this project (not CBR resources; what CBR can protect). */
  cloudResources: Map<string, CloudResource>;
  vaults: Map<string, Vault>;
  policies: Map<string, Policy>;
  /** Backups by id, children (disk backups of a server backup) included. */
  backups: Map<string, Backup>;
  restorePoints: Map<string, Checkpoint>;
  /** Operation logs ("tasks") by id. */
  tasks: Map<string, OperationLog>;
  /** Share members: backup id → destination project id → member. */
  shareMembers: Map<string, Map<string, Member>>;
  vbsPolicies: Map<string, VbsPolicy>;
  /** VBS v2 policy associations: policy id → associated volume ids. */
  vbsPolicyResources: Map<string, Set<string>>;
  /** VBS v2 backup jobs ("execute at once", `backuptasks`): policy id → jobs in creation order. */
  vbsBackupTasks: Map<string, VbsBackupTask[]>;
  /** Asynchronous work not done yet, in scheduling order (persisted, replayed after a restart). */
  pendingSteps: PendingStep[];
}

export interface Domain {
  id: string;
  name: string;
  users: Array<{ id: string; name: string; password: string; accessKey?: string; secretKey?: string }>;
  projects: Array<{ id: string; name: string }>;
}

export function createProjectState(id: string, name: string): ProjectState {
  return {
    id,
    name,
    cloudResources: new Map(),
    vaults: new Map(),
    policies: new Map(),
    backups: new Map(),
    restorePoints: new Map(),
    tasks: new Map(),
    shareMembers: new Map(),
    vbsPolicies: new Map(),
    vbsPolicyResources: new Map(),
    vbsBackupTasks: new Map(),
    pendingSteps: [],
  };
}

export function createState() {
  const projects = new Map<string, ProjectState>();
  const domains: Domain[] = [];
  return {
    domains,
    projects,
    /** The state of a project that exists (callers check existence through identity first). */
    project(id: string): ProjectState {
      const project = projects.get(id);
      if (!project) throw new Error(`unknown project ${id}`);
      return project;
    },
    addProject(id: string, name: string): ProjectState {
      const project = createProjectState(id, name);
      projects.set(id, project);
      return project;
    },
  };
}

export type State = ReturnType<typeof createState>;
