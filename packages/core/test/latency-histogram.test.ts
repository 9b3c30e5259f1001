import { histogramPercentile, LATENCY_BUCKETS, latencyBucket } from '../src/index.js';

describe('latency histogram', () => {
  it('puts a duration in the first bucket whose bound holds it', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(5)).toBe(0);
    expect(latencyBucket(6)).toBe(1);
    expect(latencyBucket(30_000)).toBe(LATENCY_BUCKETS - 2);
    expect(latencyBucket(30_001)).toBe(LATENCY_BUCKETS - 1);
  });

  it('reads percentiles as bucket upper bounds', () => {
    const counts = new Array<number>(LATENCY_BUCKETS).fill(0);
    for (let i = 0; i < 98; i++) counts[latencyBucket(3)]!++;
    counts[latencyBucket(400)]!++;
    counts[latencyBucket(2000)]!++;
    expect(histogramPercentile(counts, 50)).toBe(5);
    expect(histogramPercentile(counts, 99)).toBe(500);
    expect(histogramPercentile(counts, 100)).toBe(2500);
    expect(histogramPercentile(new Array<number>(LATENCY_BUCKETS).fill(0), 50)).toBeNull();
  });
});
