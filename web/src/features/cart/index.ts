export { CartDrawer, useCartCount } from './components/CartDrawer';
export { ProductActions } from './components/ProductActions';
export { WishlistPanel, PollsPanel } from './components/WishlistPanel';
export { useAddCartLine } from './api/add-cart-line';
export type { CartLine } from './api/get-cart';
export type { WishlistItem } from './api/wishlist';
