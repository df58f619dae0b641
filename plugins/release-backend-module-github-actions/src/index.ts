/**
 * The `github-actions` deployment provider of the Release Manager, as a
 * backend module of the release plugin.
 *
 * @packageDocumentation
 */

export { releaseModuleGithubActions as default } from './module';
export { GithubActionsProvider } from './GithubActionsProvider';
export type { GithubActionsProviderOptions } from './GithubActionsProvider';
