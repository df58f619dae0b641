import {
  EntityDisplayName,
  EntityRefLink,
} from '@backstage/plugin-catalog-react';
import { useEntityRoute } from '../../hooks/useEntityRoute';

/** Props of {@link Person}. */
export interface PersonProps {
  /** A user or group ref (`user:default/alice`), or another actor (`service:external:ci`). */
  entityRef: string;
}

const CATALOG_KINDS = /^(user|group):/i;

/**
 * A person or group by name (the catalog's display name, e.g. "Alice
 * Example", falling back to "alice"), linked to its catalog page when the
 * app has one. Actors that are not catalog entities (services, the system)
 * are shown as they are.
 */
export function Person(props: PersonProps) {
  const { entityRef } = props;
  const entityRoute = useEntityRoute();
  if (!CATALOG_KINDS.test(entityRef)) {
    return <span>{entityRef}</span>;
  }
  if (!entityRoute) {
    return <EntityDisplayName entityRef={entityRef} hideIcon />;
  }
  return <EntityRefLink entityRef={entityRef} defaultKind="user" hideIcon />;
}
