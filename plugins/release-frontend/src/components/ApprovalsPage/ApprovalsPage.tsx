import { Content, Header, Page } from '@backstage/core-components';
import { ApprovalsContent } from '../ApprovalsContent';

/**
 * The approvals inbox as a full page with its own header, for the legacy
 * frontend system (the new one draws the page header itself).
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
