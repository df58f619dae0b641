export { GithubActionsProvider } from './GithubActionsProvider';
export type { GithubActionsProviderOptions } from './GithubActionsProvider';
