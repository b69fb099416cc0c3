/** The operations variables (config.ts `operationsFromEnv`): only what is set, every bad value named. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, operationsFromEnv } from '../src/config';

describe('operationsFromEnv', () => {
  it('returns nothing when nothing is set, so the gateway defaults apply', () => {
    const problems: string[] = [];
    expect(operationsFromEnv({}, problems)).toEqual({});
    expect(problems).toEqual([]);
  });

  it('reads every variable', () => {
    const problems: string[] = [];
    const env = {
      CIRCUIT_BREAKER_FAILURE_PERCENT: '60',
      CIRCUIT_BREAKER_MIN_CALLS: '5',
      CIRCUIT_BREAKER_OPEN_MS: '15000',
      READINESS_CACHE_MS: '2000',
      METRICS: 'no',
      TRACING: 'true',
    };
    expect(operationsFromEnv(env, problems)).toEqual({
      circuitBreaker: { failureRatio: 0.6, minimumCalls: 5, openMs: 15_000 },
      readinessCacheMs: 2_000,
      metrics: false,
      tracing: true,
    });
    expect(problems).toEqual([]);
  });

  it('turns the breaker off with CIRCUIT_BREAKER=false', () => {
    expect(operationsFromEnv({ CIRCUIT_BREAKER: 'false', CIRCUIT_BREAKER_OPEN_MS: '1000' }, [])).toEqual({ circuitBreaker: false });
  });

  it('names every bad value in the start-up error', () => {
    expect(() => loadConfig({ CIRCUIT_BREAKER_FAILURE_PERCENT: '150', TRACING: 'maybe', READINESS_CACHE_MS: '-1' })).toThrow(ConfigError);
    try {
      loadConfig({ CIRCUIT_BREAKER_FAILURE_PERCENT: '150', TRACING: 'maybe', READINESS_CACHE_MS: '-1' });
    } catch (error) {
      expect((error as Error).message).toBe(
        [
          'Invalid configuration:',
          '  - CIRCUIT_BREAKER_FAILURE_PERCENT: must be a percentage, 1-100',
          '  - READINESS_CACHE_MS: must be a number of milliseconds, 0-600000',
          '  - TRACING: must be true or false',
        ].join('\n'),
      );
    }
  });
});
