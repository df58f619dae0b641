import { parseEntityRef } from '@backstage/catalog-model';

/** Values a check URL may use: `{{ entity.name }}`, `{{ phase }}`, `{{ version }}`… */
export function templateValues(options: {
  entityRef: string;
  phase: string;
  version: string;
}): Record<string, string> {
  const ref = parseEntityRef(options.entityRef);
  return {
    entityRef: options.entityRef,
    'entity.kind': ref.kind,
    'entity.namespace': ref.namespace,
    'entity.name': ref.name,
    phase: options.phase,
    version: options.version,
  };
}

/**
 * Fills `{{ key }}` placeholders with URL-encoded values; an unknown key is
 * an error (a typo must not call a wrong URL).
 */
export function fillTemplate(
  template: string,
  values: Record<string, string>,
): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, key: string) => {
    if (!(key in values)) {
      throw new Error(
        `Unknown placeholder {{ ${key} }}; use one of ${Object.keys(values)
          .map(k => `{{ ${k} }}`)
          .join(', ')}`,
      );
    }
    return encodeURIComponent(values[key]);
  });
}
