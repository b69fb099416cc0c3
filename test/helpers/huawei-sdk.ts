/**
 * Test helper: requests signed and sent by the official Huawei Cloud Node SDK core (`@huaweicloud/huaweicloud-sdk-core`,
 * a dev dependency): its `BasicCredentials` (AK/SK, and the IAM project lookup `GET /v3/projects?name=<region>` when no
 * project id is given), its AK/SK signer (`Access=` variant) and its axios HTTP client. Requests are described as the
 * SDK's generated CbrClient describes them (method, url template, contentType, queryParams, pathParams, data), so the
 * encodings (repeated query keys for lists, the JSON body, `{project_id}` substitution) are the SDK's, not ours.
 */
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger';
import { Region } from '@huaweicloud/huaweicloud-sdk-core/region/region';

// The SDK logs every error answer with its whole axios config at ERROR on stdout; the tests assert the answers instead.
Logger4jInstance.level = 'off';

export interface SdkAnswer {
  status: number;
  /** The parsed body (success), or the error's parsed body fields. */
  body: any;
  /** `error_code` (or VBS `error.code`) as the SDK's exception reports it. */
  errorCode?: string;
}

export interface SdkRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** URL template as in the SDK's CbrClient, e.g. `/v3/{project_id}/vaults/{vault_id}`. */
  url: string;
  pathParams?: Record<string, string>;
  queryParams?: Record<string, unknown>;
  data?: unknown;
}

/**
 * An SDK client on `baseUrl` for `region` (the emulator's IAM resolves it to a project), or pinned to `projectId`.
 * Bodies are sent with the CbrClient's `application/json;charset=UTF-8` content type.
 */
export function huaweiSdkClient(
  baseUrl: string,
  options: { accessKey: string; secretKey: string; region?: string; projectId?: string; derivedAuthServiceName?: string },
) {
  const credentials = new BasicCredentials().withAk(options.accessKey).withSk(options.secretKey).withIamEndpoint(baseUrl);
  if (options.projectId) credentials.withProjectId(options.projectId);
  const builder = new ClientBuilder<HcClient>((hc) => hc).withCredential(credentials);
  if (options.derivedAuthServiceName) {
    // The SDK's opt-in V11-HMAC-SHA256 signing, with its default rule (derived for endpoints outside huaweicloud.com).
    builder.withDerivedAuthServiceName(options.derivedAuthServiceName);
    credentials.withDerivedPredicate((request) => BasicCredentials.getDefaultDerivedPredicate(request));
  }
  const client = options.projectId ? builder.withEndpoint(baseUrl).build() : builder.withRegion(new Region(options.region ?? 'eu-de', [baseUrl])).build();
  // The Authorization header of every request the SDK signed, to show which signature variant went out.
  const authorizations: string[] = [];
  const sign = credentials.processAuthRequest.bind(credentials);
  credentials.processAuthRequest = async (hc, request) => {
    const signed = await sign(hc, request);
    authorizations.push(String(signed.headers?.Authorization ?? signed.headers?.authorization ?? ''));
    return signed;
  };
  return {
    credentials,
    authorizations,
    async send(request: SdkRequest): Promise<SdkAnswer> {
      const withBody = request.data !== undefined;
      try {
        const res: any = await client.sendRequest({
          method: request.method,
          url: request.url,
          contentType: withBody ? 'application/json;charset=UTF-8' : 'application/json',
          queryParams: (request.queryParams ?? {}) as Record<string, any>,
          pathParams: request.pathParams ?? {},
          headers: {},
          ...(withBody ? { data: request.data as Record<string, any> } : {}),
        });
        const { httpStatusCode, ...body } = res;
        return { status: Number(httpStatusCode), body };
      } catch (error) {
        const e = error as { httpStatusCode?: number | string; errorCode?: string; errorMsg?: string; message?: string };
        if (e.httpStatusCode === undefined) throw error; // not an HTTP answer: a bug of the test or the transport
        return { status: Number(e.httpStatusCode), body: { error_msg: e.errorMsg }, errorCode: e.errorCode };
      }
    },
  };
}
