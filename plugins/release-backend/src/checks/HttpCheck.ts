import {
  ReleaseCheck,
  ReleaseCheckContext,
  ReleaseCheckResult,
} from '@release-manager/backstage-plugin-release-node';
import { fetchWithDeadline, parseJsonOrUndefined } from '../providers/http';
import { fillTemplate, templateValues } from './template';

/** Settings of an `http` check. */
interface HttpCheckSettings {
  url: string;
  method?: 'GET' | 'POST';
  timeoutMs?: number;
  /** Require a JSON field of the answer to have a value. */
  json?: { path: string; equals: unknown; pendingValues?: unknown[] };
}

function readSettings(settings: Record<string, unknown>): HttpCheckSettings {
  if (
    typeof settings.url !== 'string' ||
    !/^(https?:\/\/|\/(?!\/))/.test(settings.url)
  ) {
    throw new Error(
      "an http check needs url: an http(s) URL, or a path starting with '/' on this backend (backend.baseUrl)",
    );
  }
  const json = settings.json as HttpCheckSettings['json'] | undefined;
  if (json !== undefined && typeof json?.path !== 'string') {
    throw new Error('json.path of an http check must be a field path');
  }
  return settings as unknown as HttpCheckSettings;
}

function pick(value: unknown, path: string): unknown {
  let at = value;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * `http`: calls the URL of its config (templated with the entity, phase and
 * version; a URL that starts with `/` is a path on this Backstage backend,
 * resolved against `backend.baseUrl`), follows no redirects, and passes on a 2xx — and, when `json` is
 * set, when a field of the JSON answer has the required value (a value in
 * `pendingValues` means "not decided yet").
 */
export class HttpCheck implements ReleaseCheck {
  readonly type = 'http';

  /** `baseUrl`: this backend's `backend.baseUrl`, for URLs given as paths. */
  constructor(private readonly options: { baseUrl?: string } = {}) {}

  /** Throws on settings that can never work (at startup). */
  static validate(settings: Record<string, unknown>) {
    readSettings(settings);
  }

  async evaluate(
    context: ReleaseCheckContext,
    options: { signal: AbortSignal },
  ): Promise<ReleaseCheckResult> {
    const settings = readSettings(context.settings);
    const filled = fillTemplate(
      settings.url,
      templateValues({
        entityRef: context.entityRef,
        phase: context.phase,
        version: context.release.version,
      }),
    );
    const url = filled.startsWith('/')
      ? `${(this.options.baseUrl ?? '').replace(/\/+$/, '')}${filled}`
      : filled;
    if (!/^https?:\/\//.test(url)) {
      return {
        status: 'failed',
        summary: `${filled} is a path, and this backend has no backend.baseUrl to resolve it against`,
      };
    }
    const where = url.split('?')[0];
    const res = await fetchWithDeadline(url, {
      method: settings.method ?? 'GET',
      headers: { accept: 'application/json' },
      signal: options.signal,
      timeoutMs: settings.timeoutMs,
    });
    if (res.status < 200 || res.status >= 300) {
      return {
        status: 'failed',
        summary: `${where} answered HTTP ${res.status}`,
        url: where,
      };
    }
    if (!settings.json) {
      return {
        status: 'passed',
        summary: `${where} answered HTTP ${res.status}`,
        url: where,
      };
    }
    const body = parseJsonOrUndefined(res.text);
    const value = pick(body, settings.json.path);
    const shown = JSON.stringify(value) ?? 'nothing';
    if (value === settings.json.equals) {
      return {
        status: 'passed',
        summary: `${settings.json.path} is ${shown}`,
        url: where,
      };
    }
    if ((settings.json.pendingValues ?? []).includes(value as never)) {
      return {
        status: 'pending',
        summary: `${
          settings.json.path
        } is ${shown}, waiting for ${JSON.stringify(settings.json.equals)}`,
        url: where,
      };
    }
    return {
      status: 'failed',
      summary: `${settings.json.path} is ${shown}, not ${JSON.stringify(
        settings.json.equals,
      )}`,
      url: where,
    };
  }
}
