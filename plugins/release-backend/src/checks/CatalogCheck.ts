import {
  ReleaseCheck,
  ReleaseCheckContext,
  ReleaseCheckResult,
} from '@release-manager/backstage-plugin-release-node';

/** The annotation that blocks releases of an entity; its value says why. */
export const BLOCKED_ANNOTATION = 'release.backstage.io/blocked';

/**
 * `catalog`: conditions on the catalog entity — it has an owner
 * (`requireOwner`, default true), its lifecycle is one of `lifecycles` (when
 * set), and it is not annotated `release.backstage.io/blocked` (whose value
 * is the summary, e.g. "incident INC-42").
 */
export class CatalogCheck implements ReleaseCheck {
  readonly type = 'catalog';

  static validate(settings: Record<string, unknown>) {
    const { lifecycles, requireOwner } = settings;
    if (
      lifecycles !== undefined &&
      (!Array.isArray(lifecycles) ||
        lifecycles.some(l => typeof l !== 'string'))
    ) {
      throw new Error('lifecycles of a catalog check must be a list of names');
    }
    if (requireOwner !== undefined && typeof requireOwner !== 'boolean') {
      throw new Error('requireOwner of a catalog check must be true or false');
    }
  }

  async evaluate(context: ReleaseCheckContext): Promise<ReleaseCheckResult> {
    CatalogCheck.validate(context.settings);
    const { entity } = context;
    if (!entity) {
      return {
        status: 'failed',
        summary: `${context.entityRef} is not in the catalog`,
      };
    }
    const blocked = entity.metadata.annotations?.[BLOCKED_ANNOTATION];
    if (blocked !== undefined) {
      return {
        status: 'failed',
        summary: `Blocked: ${
          blocked.trim() || `annotated ${BLOCKED_ANNOTATION}`
        }`,
      };
    }
    const spec = (entity.spec ?? {}) as {
      owner?: unknown;
      lifecycle?: unknown;
    };
    if (
      context.settings.requireOwner !== false &&
      (typeof spec.owner !== 'string' || !spec.owner.trim())
    ) {
      return { status: 'failed', summary: `${context.entityRef} has no owner` };
    }
    const lifecycles = context.settings.lifecycles as string[] | undefined;
    if (lifecycles && !lifecycles.includes(String(spec.lifecycle))) {
      return {
        status: 'failed',
        summary: `Lifecycle '${String(
          spec.lifecycle ?? 'none',
        )}' is not one of ${lifecycles.join(', ')}`,
      };
    }
    return {
      status: 'passed',
      summary: `Owned by ${spec.owner ?? 'nobody'}, lifecycle ${String(
        spec.lifecycle ?? 'unset',
      )}, not blocked`,
    };
  }
}
