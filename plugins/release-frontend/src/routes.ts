import { createRouteRef } from '@backstage/core-plugin-api';

/** Mount point of the legacy "Releases" entity tab. */
export const releasesRouteRef = createRouteRef({ id: 'release:releases' });

/** Mount point of the legacy "Phases" entity tab. */
export const phasesRouteRef = createRouteRef({ id: 'release:phases' });

/** Mount point of the legacy approvals inbox page. */
export const approvalsRouteRef = createRouteRef({ id: 'release:approvals' });

/** Mount point of the legacy portfolio page ("Releases" across all entities). */
export const portfolioRouteRef = createRouteRef({ id: 'release:portfolio' });

/** Mount point of the legacy "Trains" entity tab (System entities). */
export const trainsRouteRef = createRouteRef({ id: 'release:trains' });
