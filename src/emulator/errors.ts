/** The emulator's error factory: every failure it answers is an ApiError carrying the upstream's real code and message. */
import { ERROR_CODES, type ErrorCode } from './error-codes';

/** Which documented body shape the error is written in. */
export type ErrorShape =
  | 'v3' // CBR v3: {"error_code","error_msg"}
  | 'v2' // VBS v2: {"error":{"code","message"}}
  | 'apig'; // API gateway (AK/SK failures): {"error_code","error_msg","request_id"}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly shape: ErrorShape = 'v3',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * An error from the seed's error table, verbatim. `detail` is appended after the table's message
 * (for BackupService.9900 it names the offending field, as the real service does).
 */
export function apiError(code: ErrorCode, detail?: string): ApiError {
  const entry = ERROR_CODES[code];
  const message = detail ? `${entry.message.replace(/\.$/, '')}: ${detail}` : entry.message;
  return new ApiError(entry.status, code, message, 'v3');
}

/** 400 BackupService.9900 naming the field that failed validation. */
export function invalidParameter(detail: string): ApiError {
  return apiError('BackupService.9900', detail);
}

/** A VBS v2 error ({"error":{"code","message"}}). */
export function vbsError(status: number, code: string, message: string): ApiError {
  return new ApiError(status, code, message, 'v2');
}

/** The JSON body written for an ApiError, in the shape its API documents. */
export function errorBody(error: ApiError, requestId: string): unknown {
  switch (error.shape) {
    case 'v2':
      return { error: { code: error.code, message: error.message } };
    case 'apig':
      return { error_code: error.code, error_msg: error.message, request_id: requestId };
    default:
      return { error_code: error.code, error_msg: error.message };
  }
}
