/** The circuit breaker's state machine on a hand-moved clock (circuit-breaker.ts). */
import { describe, expect, it } from 'vitest';
import { createBreaker, createBreakers } from '../../src/upstream/circuit-breaker';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const small = { windowSize: 4, minimumCalls: 4, failureRatio: 0.5, openMs: 1_000, windowMs: 10_000 };

describe('createBreaker', () => {
  it('stays closed until the window holds minimumCalls attempts, then opens at the failure ratio', () => {
    const c = clock();
    const breaker = createBreaker({ ...small, now: c.now });
    breaker.onFailure();
    breaker.onFailure();
    breaker.onFailure();
    expect(breaker.state()).toBe('closed');
    breaker.onSuccess();
    // 3 of 4 failed, but a success never opens it: the next failure does (3 of the last 4).
    expect(breaker.state()).toBe('closed');
    breaker.onFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.allowRequest()).toBe(false);
    expect(breaker.retryAfterSeconds()).toBe(1);
  });

  it('does not open while most attempts succeed', () => {
    const breaker = createBreaker({ ...small, now: clock().now });
    for (let i = 0; i < 10; i++) {
      breaker.onSuccess();
      breaker.onSuccess();
      breaker.onSuccess();
      breaker.onFailure();
    }
    expect(breaker.state()).toBe('closed');
  });

  it('forgets failures older than windowMs', () => {
    const c = clock();
    const breaker = createBreaker({ ...small, now: c.now });
    breaker.onFailure();
    breaker.onFailure();
    breaker.onFailure();
    c.advance(10_001);
    breaker.onFailure();
    expect(breaker.state()).toBe('closed');
  });

  it('lets one probe through after openMs; its success closes the breaker', () => {
    const c = clock();
    const breaker = createBreaker({ ...small, now: c.now });
    for (let i = 0; i < 4; i++) breaker.onFailure();
    c.advance(999);
    expect(breaker.allowRequest()).toBe(false);
    c.advance(1);
    expect(breaker.state()).toBe('half-open');
    expect(breaker.allowRequest()).toBe(true);
    // Others wait for the probe's verdict.
    expect(breaker.allowRequest()).toBe(false);
    breaker.onSuccess();
    expect(breaker.state()).toBe('closed');
    expect(breaker.allowRequest()).toBe(true);
    expect(breaker.retryAfterSeconds()).toBe(0);
  });

  it('opens again for openMs when the probe fails', () => {
    const c = clock();
    const breaker = createBreaker({ ...small, now: c.now });
    for (let i = 0; i < 4; i++) breaker.onFailure();
    c.advance(1_000);
    expect(breaker.allowRequest()).toBe(true);
    breaker.onFailure();
    expect(breaker.state()).toBe('open');
    c.advance(500);
    expect(breaker.allowRequest()).toBe(false);
    c.advance(500);
    expect(breaker.allowRequest()).toBe(true);
  });

  it('lets another probe go when the first never reports (its caller went away)', () => {
    const c = clock();
    const breaker = createBreaker({ ...small, now: c.now });
    for (let i = 0; i < 4; i++) breaker.onFailure();
    c.advance(1_000);
    expect(breaker.allowRequest()).toBe(true);
    c.advance(999);
    expect(breaker.allowRequest()).toBe(false);
    c.advance(1);
    expect(breaker.allowRequest()).toBe(true);
  });
});

describe('state changes', () => {
  it('are reported once each, with the endpoint', () => {
    const c = clock();
    const seen: string[] = [];
    const breakers = createBreakers({ ...small, now: c.now, onStateChange: (endpoint, state) => seen.push(`${endpoint} ${state}`) });
    const breaker = breakers.for('https://cbr.example.com');
    for (let i = 0; i < 6; i++) breaker.onFailure();
    c.advance(1_000);
    breaker.allowRequest();
    breaker.onSuccess();
    breaker.onSuccess();
    expect(seen).toEqual(['https://cbr.example.com open', 'https://cbr.example.com half-open', 'https://cbr.example.com closed']);
  });
});

describe('createBreakers', () => {
  it('shares one breaker per origin and lists their states', () => {
    const breakers = createBreakers(small);
    const cbr = breakers.for('https://cbr.example.com');
    expect(breakers.for('https://cbr.example.com/')).toBe(cbr);
    const vbs = breakers.for('https://vbs.example.com');
    for (let i = 0; i < 4; i++) vbs.onFailure();
    expect(breakers.states()).toEqual([
      { endpoint: 'https://cbr.example.com', state: 'closed' },
      { endpoint: 'https://vbs.example.com', state: 'open' },
    ]);
  });
});
