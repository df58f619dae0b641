export { RetryButton } from './RetryButton';
export type { RetryButtonProps } from './RetryButton';
