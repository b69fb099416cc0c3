/**
 * HTTP handlers of API version discovery: `GET /` (all versions) and `GET /v3` (one version), no authentication.
 * Status 300 and the `versions[{id, status, links[{href, rel}]}]` body as in the OTC CBR API reference
 * ("Querying API Versions" / "Querying a Specified API Version"), which documents only these three fields.
 *
 * Not emulated: other version ids (the reference lists `v3` as the only value), `min_version`/`updated` fields that
 * some Huawei services add, and `GET /{api_version}` for anything but `v3` (answered 404 like any unknown path).
 */
import type { RequestContext, Route } from '../router';

function versions(ctx: RequestContext) {
  return {
    status: 300,
    body: { versions: [{ id: 'v3', status: 'CURRENT', links: [{ href: `${ctx.emulator.baseUrl}/v3/`, rel: 'self' }] }] },
  };
}

export const routes: Route[] = [
  { method: 'GET', pattern: '/', api: 'meta', handler: versions },
  { method: 'GET', pattern: '/v3', api: 'meta', handler: versions },
];
