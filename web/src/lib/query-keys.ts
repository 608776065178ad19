// Query keys shared by the features and the realtime module, which writes
// into the same cache entries the features read.

export interface ProductSearchParams {
  q?: string;
  category?: string;
  brand?: string;
  gender?: string;
  colour?: string;
  size?: string;
  min_price?: string;
  max_price?: string;
  min_rating?: string;
  sort?: string;
}

export const queryKeys = {
  me: () => ['me'] as const,
  rooms: () => ['rooms'] as const,
  room: (roomId: string) => ['room', roomId] as const,
  activities: (roomId: string) => ['room', roomId, 'activities'] as const,
  typing: (roomId: string) => ['room', roomId, 'typing'] as const,
  viewing: (roomId: string) => ['room', roomId, 'viewing'] as const,
  recommendations: (roomId: string, forUser?: string, type?: string) =>
    ['room', roomId, 'recommendations', { forUser: forUser ?? null, type: type ?? null }] as const,
  recommendationsAll: (roomId: string) => ['room', roomId, 'recommendations'] as const,
  secretMode: (roomId: string) => ['room', roomId, 'secret-mode'] as const,
  cart: (roomId: string) => ['room', roomId, 'cart'] as const,
  wishlist: (roomId: string) => ['room', roomId, 'wishlist'] as const,
  polls: (roomId: string) => ['room', roomId, 'polls'] as const,
  votes: (roomId: string) => ['room', roomId, 'votes'] as const,
  trips: (roomId: string) => ['room', roomId, 'trips'] as const,
  trip: (roomId: string, tripId: string) => ['room', roomId, 'trips', tripId] as const,
  products: (params: ProductSearchParams) => ['products', 'search', params] as const,
  product: (productId: string) => ['products', 'one', productId] as const,
  suggest: (q: string) => ['products', 'suggest', q] as const,
};
