export { RecommendationsPanel } from './components/RecommendationsPanel';
export type { RecommendedProduct } from './api/list-recommendations';
