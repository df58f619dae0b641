export { PhaseDetailDrawer } from './PhaseDetailDrawer';
export type { PhaseDetailDrawerProps } from './PhaseDetailDrawer';
