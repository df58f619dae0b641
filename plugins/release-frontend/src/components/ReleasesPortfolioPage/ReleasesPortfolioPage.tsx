import { Content, Header, Page } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { releaseTranslationRef } from '../../translation';
import { PortfolioContent } from '../PortfolioContent';

/**
 * The portfolio as a full page with its own header, for the legacy frontend
 * system (the new one draws the page header itself).
 *
 * @public
 */
export function ReleasesPortfolioPage() {
  const { t } = useTranslationRef(releaseTranslationRef);
  return (
    <Page themeId="tool">
      <Header
        title={t('portfolioPage.title')}
        subtitle={t('portfolioPage.subtitle')}
      />
      <Content>
        <PortfolioContent />
      </Content>
    </Page>
  );
}
