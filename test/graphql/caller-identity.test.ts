import { describe, expect, it } from 'vitest';
import { callerIdentity } from '../../src/gateway/caller-identity';

const identity = (headers: Record<string, string>) => callerIdentity(new Headers(headers));

describe('callerIdentity', () => {
  it('tells tokens and projects apart, and never contains the token', () => {
    const a = identity({ 'x-auth-token': 'token-a' });
    expect(a).not.toContain('token-a');
    expect(identity({ 'x-auth-token': 'token-b' })).not.toBe(a);
    expect(identity({ 'x-auth-token': 'token-a', 'x-project-id': 'p2' })).not.toBe(a);
    expect(identity({ 'x-auth-token': 'token-a' })).toBe(a);
  });

  it('keeps callers of the gateway own credentials apart from token callers and by project', () => {
    expect(identity({})).toBe(identity({}));
    expect(identity({ 'x-project-id': 'p2' })).not.toBe(identity({}));
    expect(identity({})).not.toBe(identity({ 'x-auth-token': '' }));
  });

  it('follows a change of the same headers object (the per-request memo compares, never trusts)', () => {
    const headers = new Headers({ 'x-auth-token': 'token-a' });
    const a = callerIdentity(headers);
    expect(callerIdentity(headers)).toBe(a);
    headers.set('x-auth-token', 'token-b');
    expect(callerIdentity(headers)).toBe(identity({ 'x-auth-token': 'token-b' }));
    headers.set('x-project-id', 'p2');
    expect(callerIdentity(headers)).toBe(identity({ 'x-auth-token': 'token-b', 'x-project-id': 'p2' }));
    headers.delete('x-auth-token');
    expect(callerIdentity(headers)).toBe(identity({ 'x-project-id': 'p2' }));
  });
});
