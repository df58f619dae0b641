import { Config } from '@backstage/config';
import {
  DEFAULT_DISPATCHER_OPTIONS,
  DispatcherOptions,
} from '../engine/Dispatcher';

/** Reads `release.dispatcher` (all optional) over the defaults. */
export function readDispatcherOptions(config: Config): DispatcherOptions {
  const c = config.getOptionalConfig('release.dispatcher');
  const options = { ...DEFAULT_DISPATCHER_OPTIONS };
  for (const key of Object.keys(options) as Array<keyof DispatcherOptions>) {
    if (key === 'enabled') continue;
    const value = c?.getOptionalNumber(key);
    if (value !== undefined) {
      if (!(value > 0)) {
        throw new Error(`release.dispatcher.${key} must be a positive number`);
      }
      (options as Record<string, number | boolean>)[key] = value;
    }
  }
  options.enabled = c?.getOptionalBoolean('enabled') ?? true;
  return options;
}
