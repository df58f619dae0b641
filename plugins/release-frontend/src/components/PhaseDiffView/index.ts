export { PhaseDiffView, sourcePhaseOf } from './PhaseDiffView';
export type { PhaseDiffViewProps } from './PhaseDiffView';
