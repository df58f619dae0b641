import { Config } from '@backstage/config';

/** One phase using a provider type, as `release.pipelines` configures it. @public */
export interface ProviderPhase {
  /** Where the phase is configured, for error messages. */
  where: string;
  pipeline: string;
  /** The phase id. */
  phase: string;
  /** The phase's provider settings, without `type`. */
  settings: Record<string, unknown>;
  /** The template's default phase configuration (`config`), if any. */
  config?: Record<string, unknown>;
}

/**
 * Calls `fn` for every phase of `release.pipelines` whose provider has the
 * given type, so that a provider module can check its phase settings at
 * startup and refuse a bad configuration with a clear error.
 * @public
 */
export function forEachProviderPhase(
  config: Config,
  type: string,
  fn: (phase: ProviderPhase) => void,
): void {
  const pipelines = config.getOptionalConfig('release.pipelines');
  for (const pipeline of pipelines?.keys() ?? []) {
    const phases =
      pipelines!.getOptionalConfigArray(`${pipeline}.phases`) ?? [];
    for (const phase of phases) {
      const provider = phase.getOptional('provider') as
        | Record<string, unknown>
        | undefined;
      if (provider?.type === type) {
        const id = phase.getString('id');
        const { type: _type, ...settings } = provider;
        fn({
          where: `release.pipelines.${pipeline}, phase '${id}'`,
          pipeline,
          phase: id,
          settings,
          config: phase.getOptional('config') as
            | Record<string, unknown>
            | undefined,
        });
      }
    }
  }
}
