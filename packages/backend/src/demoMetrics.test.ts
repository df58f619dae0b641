import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startDemoBackend } from './__testUtils__/demoBackend';

jest.setTimeout(120_000);

/**
 * The demo's payments-api delivery (DORA) figures over the last 30 days, as
 * `yarn start` seeds them, against the hand computation in
 * docs/dora-demo.md: six successful Live
 * deployments (1.0.1, 1.0.3, 1.1.0–1.1.3), one failed (1.0.2, restored by
 * the 1.0.3 hotfix 8 h later).
 */
describe('the demo’s payments-api delivery figures', () => {
  let server: Awaited<ReturnType<typeof startDemoBackend>>;
  const guest = mockCredentials.user.header('user:default/guest');

  beforeAll(async () => {
    server = await startDemoBackend();
  });

  it('matches the hand computation: 6 deployments, 0.2/day, lead time 8 h 10 min, failure rate 1/7, restore 8 h', async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    const res = await request(server)
      .get('/api/release/entities/component/default/payments-api/metrics')
      .query({ from: from.toISOString(), to: to.toISOString() })
      .set('Authorization', guest);
    expect(res.status).toBe(200);
    const { metrics } = res.body;
    expect(res.body.productionPhases).toEqual({ default: 'live' });
    // Deployment frequency: 1.0.1, 1.0.3, 1.1.0, 1.1.1, 1.1.2, 1.1.3.
    expect(metrics.deployments).toBe(6);
    expect(metrics.deploymentsPerDay).toBeCloseTo(6 / 30, 6);
    // Lead time: median of [4 h 10 min, 8 h 10 min × 5] = 8 h 10 min.
    expect(metrics.leadTime).toMatchObject({
      count: 6,
      medianSeconds: 8 * 3600 + 10 * 60,
      p90Seconds: 8 * 3600 + 10 * 60,
    });
    // Change failure rate: 1.0.2 failed, of 7 finished change deployments.
    expect(metrics.failedDeployments).toBe(1);
    expect(metrics.changeDeployments).toBe(7);
    expect(metrics.changeFailureRate).toBeCloseTo(1 / 7, 6);
    // Time to restore: 1.0.2 failed at 21 d − 8 h 10 min, 1.0.3 succeeded at 20.5 d − 4 h 10 min: 8 h.
    expect(metrics.timeToRestore).toMatchObject({
      count: 1,
      medianSeconds: 8 * 3600,
    });
    expect(metrics.unrestored).toBe(0);
    expect(metrics.bands).toEqual({
      deploymentFrequency: 'high',
      leadTime: 'elite',
      changeFailureRate: 'medium',
      timeToRestore: 'high',
      overall: 'medium',
    });
  });
});
