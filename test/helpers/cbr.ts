/** Test helpers for the vault/resource/policy tests: request bodies with defaults and error assertions from the seed's table. */
import { expect } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../src/emulator/error-codes';
import type { ApiResponse } from './emulator';

/** Asserts a CBR v3 error answer: the table's status and message for `code` (+ `: detail` for 9900 details). */
export function expectApiError(res: ApiResponse, code: ErrorCode, detail?: string): void {
  const entry = ERROR_CODES[code];
  const message = detail ? `${entry.message.replace(/\.$/, '')}: ${detail}` : entry.message;
  expect({ status: res.status, body: res.body }).toEqual({ status: entry.status, body: { error_code: code, error_msg: message } });
}

/** Asserts 400 BackupService.9900 naming `detail` (e.g. `vault.name is mandatory`). */
export function expectInvalid(res: ApiResponse, detail: string): void {
  expectApiError(res, 'BackupService.9900', detail);
}

/** A valid VaultCreate for `objectType` with `overrides` merged (billing merged one level deeper). */
export function vaultCreate(
  objectType: 'server' | 'disk' | 'turbo' = 'server',
  overrides: Record<string, unknown> & { billing?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const { billing, ...rest } = overrides;
  return {
    name: `vault-${objectType}`,
    billing: { consistent_level: 'crash_consistent', object_type: objectType, protect_type: 'backup', size: 100, ...billing },
    resources: [],
    ...rest,
  };
}

/** A valid PolicyCreate (daily at 14:00 UTC) with `overrides` merged. */
export function policyCreate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'daily',
    operation_type: 'backup',
    operation_definition: { retention_duration_days: 7 },
    trigger: { properties: { pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=14;BYMINUTE=00'] } },
    ...overrides,
  };
}
