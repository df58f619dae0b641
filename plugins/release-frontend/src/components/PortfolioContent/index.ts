export { PortfolioContent } from './PortfolioContent';
