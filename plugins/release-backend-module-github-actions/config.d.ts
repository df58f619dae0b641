export interface Config {
  /**
   * The `github-actions` deployment provider has no keys of its own: hosts
   * and credentials (a token or a GitHub App) come from `integrations.github`.
   * Phase settings (in `release.pipelines.<name>.phases[].provider`):
   * `owner`, `repo`, `workflow`, and optionally `ref`, `host`, `environment`,
   * `syncEnvironment`, `naming`, `inputs` (see the README).
   */
  release?: {};
}
