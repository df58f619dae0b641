export { PhaseConfigSection, MASKED_SECRET } from './PhaseConfigSection';
export type { PhaseConfigSectionProps } from './PhaseConfigSection';
