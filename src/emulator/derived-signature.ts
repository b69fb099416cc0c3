/**
 * The derived-key AK/SK signature of the Huawei Cloud SDKs (`V11-HMAC-SHA256`), which a client turns on with a
 * derived auth service name (Node SDK `ClientBuilder.withDerivedAuthServiceName`, Go SDK `derived_signer.go`; shared
 * reference cbr-api-notes §4.3). The canonical request is variant A's; the string to sign adds the scope
 * `info = yyyymmdd/<region>/<service>`; the key is HKDF-SHA256(ikm = SK, salt = AK, info, 32 bytes) as lower-case hex.
 *
 * Decision: any region and service in the scope are accepted (the emulator is every region's CBR and VBS and its IAM
 * at once); the scope's date must be the `X-Sdk-Date` day.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { canonicalRequestA, sha256Hex, type HeaderBag } from '../upstream/signing';

export const DERIVED_ALGORITHM = 'V11-HMAC-SHA256';

const AUTHORIZATION = /^V11-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8}\/[^/,\s]*\/[^/,\s]*),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/;

export interface DerivedAuthorization {
  accessKey: string;
  /** `yyyymmdd/<region>/<service>` */
  info: string;
  /** Lower-case header names as declared by the client. */
  signedHeaders: string[];
  signature: string;
}

/** Parses `Authorization: V11-HMAC-SHA256 Credential=<AK>/<info>, SignedHeaders=…, Signature=…`. */
export function parseDerivedAuthorization(header: string): DerivedAuthorization | undefined {
  const m = AUTHORIZATION.exec(header);
  if (!m) return undefined;
  return { accessKey: m[1]!, info: m[2]!, signedHeaders: m[3]!.toLowerCase().split(';').filter(Boolean), signature: m[4]!.toLowerCase() };
}

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value === undefined ? undefined : String(value);
}

/** Recomputes a derived signature from the request as received (time checks are the caller's). */
export function verifyDerivedSignature(input: {
  method: string;
  path: string;
  query: URLSearchParams | string;
  /** As node:http delivers them (lower-case names). */
  headers: HeaderBag;
  body: Uint8Array;
  authorization: DerivedAuthorization;
  secretKey: string;
}): boolean {
  const auth = input.authorization;
  const sdkDate = header(input.headers, 'x-sdk-date') ?? '';
  if (auth.info.slice(0, 8) !== sdkDate.slice(0, 8)) return false;
  const canonical = canonicalRequestA({
    method: input.method,
    path: input.path,
    query: input.query,
    headers: input.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: header(input.headers, 'x-sdk-content-sha256') ?? sha256Hex(input.body),
  });
  const stringToSign = [DERIVED_ALGORITHM, sdkDate, auth.info, sha256Hex(canonical)].join('\n');
  const key = Buffer.from(hkdfSync('sha256', input.secretKey, auth.accessKey, auth.info, 32)).toString('hex');
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const given = Buffer.from(auth.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
