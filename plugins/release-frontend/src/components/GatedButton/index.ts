export { GatedButton } from './GatedButton';
export type { GatedButtonProps } from './GatedButton';
