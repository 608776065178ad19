export { ProductBrowser } from './components/ProductBrowser';
export { ProductCard, ProductCardSkeleton } from './components/ProductCard';
export { ProductModal } from './components/ProductModal';
export { useProduct, productSizes, productImages, type Product } from './api/get-product';
export { productQueryOptions } from './api/get-product';
