export { ReleasesPortfolioPage } from './ReleasesPortfolioPage';
