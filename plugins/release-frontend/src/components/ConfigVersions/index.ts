export { ConfigVersions } from './ConfigVersions';
export type { ConfigVersionsProps } from './ConfigVersions';
