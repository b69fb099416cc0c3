import { describe, expect, it } from 'vitest';
import { routes } from '../../src/emulator/handlers';
import { createRouter, type Route } from '../../src/emulator/router';
import { parseTarget } from '../../src/emulator/server';

const handler = () => ({ status: 200 });
const route = (method: Route['method'], pattern: string): Route => ({ method, pattern, api: 'cbr', handler });
const matched = (result: ReturnType<ReturnType<typeof createRouter>['match']>) =>
  result && 'route' in result ? { route: `${result.route.method} ${result.route.pattern}`, params: result.params } : result;

describe('router', () => {
  const router = createRouter([
    route('GET', '/v3/:project_id/vaults/:vault_id'),
    route('PUT', '/v3/:project_id/vaults/:vault_id'),
    route('GET', '/v3/:project_id/vaults/summary'),
    route('GET', '/v3/auth/tokens'),
    route('GET', '/v3/:project_id/tokens'),
    route('POST', '/v3/auth/:thing/x'),
    route('GET', '/v3/:project_id/:section/x'),
    route('GET', '/'),
  ]);

  it('prefers a literal segment to a parameter, whatever the table order', () => {
    expect(matched(router.match('GET', '/v3/p1/vaults/summary'))).toEqual({ route: 'GET /v3/:project_id/vaults/summary', params: { project_id: 'p1' } });
    expect(matched(router.match('GET', '/v3/auth/tokens'))).toEqual({ route: 'GET /v3/auth/tokens', params: {} });
    expect(matched(router.match('GET', '/v3/p1/vaults/v1'))).toEqual({ route: 'GET /v3/:project_id/vaults/:vault_id', params: { project_id: 'p1', vault_id: 'v1' } });
  });

  it('falls back to a parameter when the literal branch has no route for the rest of the path or the method', () => {
    // `auth` is a literal of the table, but a GET of /v3/auth/y/x exists only through /v3/:project_id/:section/x
    expect(matched(router.match('GET', '/v3/auth/y/x'))).toEqual({ route: 'GET /v3/:project_id/:section/x', params: { project_id: 'auth', section: 'y' } });
    expect(matched(router.match('POST', '/v3/auth/y/x'))).toEqual({ route: 'POST /v3/auth/:thing/x', params: { thing: 'y' } });
  });

  it('answers the allowed methods of every matching pattern when none has the method, and nothing for an unknown path', () => {
    expect(router.match('DELETE', '/v3/p1/vaults/summary')).toEqual({ allowed: ['GET', 'GET', 'PUT'] });
    expect(router.match('DELETE', '/v3/auth/y/x')).toEqual({ allowed: ['POST', 'GET'] });
    expect(router.match('GET', '/v3/p1/vaults')).toBeUndefined();
    expect(router.match('GET', '/v3/p1/vaults/v1/extra')).toBeUndefined();
  });

  it('decodes parameters, ignores empty segments, and lets a malformed escape match no parameter', () => {
    expect(matched(router.match('GET', '/v3/p%201/vaults/v%2F1'))).toEqual({ route: 'GET /v3/:project_id/vaults/:vault_id', params: { project_id: 'p 1', vault_id: 'v/1' } });
    expect(matched(router.match('GET', '//v3/p1//vaults/v1/'))).toMatchObject({ params: { project_id: 'p1', vault_id: 'v1' } });
    expect(router.match('GET', '/v3/p1/vaults/%ZZ')).toBeUndefined();
  });

  it('matches the root', () => {
    expect(matched(router.match('GET', '/'))).toEqual({ route: 'GET /', params: {} });
  });

  it('finds every route of the emulator table by its own pattern', () => {
    const table = createRouter(routes);
    for (const r of routes) {
      const path = r.pattern.replace(/:(\w+)/g, 'x-$1');
      const params = Object.fromEntries([...r.pattern.matchAll(/:(\w+)/g)].map(([, name]) => [name, `x-${name}`]));
      expect(matched(table.match(r.method, path)), `${r.method} ${r.pattern}`).toEqual({ route: `${r.method} ${r.pattern}`, params });
    }
  });
});

describe('parseTarget', () => {
  it.each([
    '/v3/p/vaults',
    '/v3/p/backups?limit=20&status=available&status=error',
    '/v3/p/vaults?',
    '/',
    '/v3/p/vaults?name=a%20b&x=%ZZ',
    '/v3/p/vaults?name=a b',
    "/v3/p/vaults?name=it's",
    '/v3/p/vaults#frag',
    '/a/./b/../c',
    '/a/%2e%2E/b',
    '/a\\b',
    '//host/path?q=1',
    '/v3/é',
    '/v3/p/vaults/{id}',
    '*',
    'http://other:8080/v3/p?x=1',
  ])('gives %j the path and query new URL gives it', (target) => {
    const url = new URL(target, 'http://emulator');
    expect(parseTarget(target)).toEqual({ pathname: url.pathname, search: url.search });
  });
});
