import { Content, Header, Page } from '@backstage/core-components';
import { ApprovalsContent } from '../ApprovalsContent';

/**
 * The approvals inbox as a full page with the standard Backstage header
 * (`Page`, `Header`, `Content`); both frontend systems show it.
 *
 * @public
 */
export function ApprovalsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Approvals"
        subtitle="Promotions waiting for your decision"
      />
      <Content>
        <ApprovalsContent />
      </Content>
    </Page>
  );
}
