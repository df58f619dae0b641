import { createRouteRef } from '@backstage/frontend-plugin-api';

/**
 * The route of the approvals inbox page (new frontend system).
 *
 * @alpha
 */
export const approvalsPageRouteRef = createRouteRef();

/**
 * The route of the portfolio page (new frontend system).
 *
 * @alpha
 */
export const portfolioPageRouteRef = createRouteRef();
