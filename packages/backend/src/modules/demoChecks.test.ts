import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { demoChecksPlugin } from './demoChecks';

describe('demo checks endpoints', () => {
  it('answers the Live readiness check and fails the Stage smoke test for a "broken" release only, without credentials', async () => {
    const { server } = await startTestBackend({ features: [demoChecksPlugin] });
    const ready = await request(server).get(
      '/api/demo-checks/live-readiness/payments-api/1.2.0',
    );
    expect([ready.status, ready.body]).toEqual([200, { ready: true }]);
    const healthy = await request(server).get(
      '/api/demo-checks/stage-smoke/payments-api/1.4.0',
    );
    expect(healthy.body).toEqual({ healthy: true });
    const broken = await request(server).get(
      '/api/demo-checks/stage-smoke/payments-api/1.4.0-broken.1',
    );
    expect(broken.body).toEqual({ healthy: false });
    expect((await request(server).get('/api/demo-checks/other')).status).toBe(
      404,
    );
  });
});
