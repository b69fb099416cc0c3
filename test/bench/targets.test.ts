/** bench/targets.ts: the RSS verdict over consecutive runs (the other verdicts are read off a real bench run). */
import { describe, expect, it } from 'vitest';
import { formatTargets } from '../../bench/targets';

const rssLine = (rssMbs: number[]) => formatTargets([], undefined, rssMbs, 0.1).find((line) => line.includes('RSS'))!;

describe('RSS flat over consecutive runs', () => {
  it('is met when the last run ends within 10 % of the second, missed when memory keeps growing', () => {
    expect(rssLine([250, 300, 305, 310, 320])).toContain('met');
    expect(rssLine([250, 300, 330, 360, 400])).toContain('MISSED');
    expect(rssLine([250, 300, 330, 360, 400])).toContain('250 → 300 → 330 → 360 → 400 MB');
  });

  it('gives no verdict for fewer than five runs', () => {
    expect(rssLine([300])).toContain('n/a (1 run; --runs 5)');
  });
});
