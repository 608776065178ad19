export { RecommendationsPanel } from './components/RecommendationsPanel';
export type { Recommendation, RecommendedProduct } from './api/list-recommendations';
