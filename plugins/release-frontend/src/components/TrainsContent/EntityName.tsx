import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useEntityRoute } from '../../hooks/useEntityRoute';
import { refName } from './trainText';

/** A member service by name, linked to its catalog page when the app has one. */
export function EntityName(props: { entityRef: string; defaultKind?: string }) {
  const entityRoute = useEntityRoute();
  if (!entityRoute) {
    return <span>{refName(props.entityRef)}</span>;
  }
  return (
    <EntityRefLink
      entityRef={props.entityRef}
      defaultKind={props.defaultKind ?? 'component'}
      hideIcon
    />
  );
}
