/** The vault summary (one call for the whole project) and each vault's used percentage (no call). */
import type { Resolvers } from '../__generated__/resolvers-types';

/** `part` of `whole` in percent with two decimals; null when there is no whole. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 100 : null;
}

export const vaultSummaryResolvers: Resolvers = {
  Query: {
    vaultSummary: (_, __, { client }) => client.getVaultSummary(),
  },

  VaultSummary: {
    sizeGb: (s) => Math.round(s.size),
    usedGb: (s) => Math.round(s.used_size),
    usedPercent: (s) => percent(s.used_size, s.size),
  },

  Vault: {
    // billing.used is in MB, billing.size in GB.
    usedPercent: (v) => (v.billing.used == null ? null : percent(v.billing.used, v.billing.size * 1024)),
  },
};
