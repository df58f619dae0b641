import { AuthService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { createHash } from 'node:crypto';

/** The entity an action works on, from its `entityRef` input. */
export function parseTarget(entityRef: string): {
  target: CompoundEntityRef;
  entityRef: string;
} {
  let target: CompoundEntityRef;
  try {
    target = parseEntityRef(entityRef, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `Invalid entityRef '${entityRef}': expected kind:namespace/name, e.g. component:default/payments-api`,
      error,
    );
  }
  return { target, entityRef: stringifyEntityRef(target) };
}

/**
 * A token for the release backend on behalf of the user who runs the
 * template, so the release backend applies that user's access. Tasks without
 * a user (started by a service) are refused: on behalf of a service the auth
 * service issues the scaffolder's own token, and there is deliberately no
 * fallback to the scaffolder's identity either, which would let anyone who may
 * run a template act with the scaffolder's rights.
 */
export async function tokenForInitiator(
  ctx: Pick<ActionContext<JsonObject>, 'getInitiatorCredentials'>,
  auth: AuthService,
  actionId: string,
): Promise<string> {
  const credentials = await ctx.getInitiatorCredentials();
  if (!auth.isPrincipal(credentials, 'user')) {
    throw new NotAllowedError(
      `${actionId} acts on behalf of the user who runs the template, but this task was not started by a user`,
    );
  }
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'release',
  });
  return token;
}

/**
 * The `Idempotency-Key` of a promotion requested by a template step: the same
 * for every run of the same step (and `each` item) of the same task, so a
 * retried or recovered step returns the first promotion instead of
 * requesting a second one. At most 112 characters (the API allows 255).
 */
export function stepIdempotencyKey(
  ctx: Pick<ActionContext<JsonObject>, 'task' | 'step' | 'each'>,
  request: JsonObject,
): string {
  const digest = createHash('sha256')
    .update(
      JSON.stringify([ctx.step?.id ?? null, ctx.each ?? null, request]),
      'utf8',
    )
    .digest('hex');
  return `scaffolder:${ctx.task.id}:${digest}`;
}
