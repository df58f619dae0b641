import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ReleaseCheck,
  ReleaseCheckContext,
  ReleaseCheckResult,
} from '@release-manager/backstage-plugin-release-node';
import { fetchWithDeadline, parseJsonOrUndefined } from '../providers/http';

/** One result of Tech Insights' `POST /checks/run/{namespace}/{kind}/{name}`. */
interface TechInsightsCheckResult {
  result: unknown;
  check?: { id?: string; name?: string; description?: string };
}

function checkIds(settings: Record<string, unknown>): string[] {
  const ids = settings.checks;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.some(i => typeof i !== 'string')
  ) {
    throw new Error(
      'a tech-insights check needs checks: a list of Tech Insights check ids',
    );
  }
  return ids as string[];
}

/**
 * `tech-insights`: runs the named Tech Insights checks for the entity
 * through the Tech Insights backend (service-to-service auth) and passes
 * when every result is true.
 */
export class TechInsightsCheck implements ReleaseCheck {
  readonly type = 'tech-insights';

  constructor(
    private readonly deps: { auth: AuthService; discovery: DiscoveryService },
  ) {}

  static validate(settings: Record<string, unknown>) {
    checkIds(settings);
  }

  async evaluate(
    context: ReleaseCheckContext,
    options: { signal: AbortSignal },
  ): Promise<ReleaseCheckResult> {
    const ids = checkIds(context.settings);
    const ref = parseEntityRef(context.entityRef);
    const base = await this.deps.discovery.getBaseUrl('tech-insights');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'tech-insights',
    });
    const url = `${base}/checks/run/${encodeURIComponent(
      ref.namespace,
    )}/${encodeURIComponent(ref.kind)}/${encodeURIComponent(ref.name)}`;
    const res = await fetchWithDeadline(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ checks: ids }),
      signal: options.signal,
    });
    if (res.status < 200 || res.status >= 300) {
      return {
        status: 'failed',
        summary: `Tech Insights answered HTTP ${res.status}`,
      };
    }
    const results = parseJsonOrUndefined(res.text);
    if (!Array.isArray(results)) {
      return {
        status: 'failed',
        summary:
          'Tech Insights answered something that is not a list of results',
      };
    }
    const byId = new Map<string, TechInsightsCheckResult>();
    for (const r of results as TechInsightsCheckResult[]) {
      if (r?.check?.id) byId.set(r.check.id, r);
    }
    const missing = ids.filter(id => !byId.has(id));
    const failing = ids.filter(
      id => byId.has(id) && byId.get(id)!.result !== true,
    );
    if (missing.length || failing.length) {
      const names = failing.map(id => byId.get(id)?.check?.name ?? id);
      return {
        status: 'failed',
        summary: [
          failing.length ? `Failing: ${names.join(', ')}` : '',
          missing.length ? `No result for: ${missing.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
      };
    }
    return {
      status: 'passed',
      summary: `All ${ids.length} Tech Insights checks pass`,
    };
  }
}
