/** The vault summary: total capacity and total used capacity (GB) of the project's vaults, from the same figures as each vault's billing. */
import type { Emulator } from '../context';
import type { VaultSummary } from '../../upstream/schemas/vault-summary';
import { vaultUsedGb } from './backup';

/** `GET /vaults/summary`: sums over every vault, deleting ones included (they hold capacity until they are gone). */
export function vaultSummary(emulator: Emulator, projectId: string): VaultSummary {
  const project = emulator.state.project(projectId);
  let size = 0;
  let used = 0;
  for (const vault of project.vaults.values()) {
    size += vault.billing.size;
    used += vaultUsedGb(project, vault.id);
  }
  return { size, used_size: Math.round(used) };
}
