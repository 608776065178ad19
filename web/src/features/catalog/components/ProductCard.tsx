import type { ReactNode } from 'react';
import { discountPercent, formatMoney, safeImageUrl } from '@/lib/format';
import { productImages, type Product } from '../api/get-product';

export interface ProductCardProps {
  product: Product;
  onOpen?: (productId: string) => void;
  /** Extra marks under the price, e.g. who liked it or a secret mark. */
  children?: ReactNode;
  compact?: boolean;
}

export function ProductCard({ product, onOpen, children, compact }: ProductCardProps) {
  const image = safeImageUrl(productImages(product)[0]);
  const off = discountPercent(product.price, product.original_price);
  const rating = typeof product.rating === 'number' ? product.rating : null;
  return (
    <article className={`product-card${compact ? ' product-card-compact' : ''}`}>
      <div className="product-card-media">
        {image ? <img src={image} alt="" loading="lazy" decoding="async" /> : <div className="product-card-placeholder" aria-hidden="true">👕</div>}
        {off > 0 ? <span className="badge badge-sale">{off}% off</span> : null}
      </div>
      <div className="product-card-body">
        <p className="product-brand">{product.brand}</p>
        <h3 className="product-title">
          {/* The button's ::after covers the whole card, so all of it opens the product. */}
          <button type="button" className="product-card-hit" onClick={() => onOpen?.(product.id)} aria-label={`${product.brand} ${product.title}`}>
            {product.title}
          </button>
        </h3>
        <p className="product-price">
          <span className="price-now">{formatMoney(product.price)}</span>
          {off > 0 ? <s className="price-was">{formatMoney(product.original_price)}</s> : null}
        </p>
        {rating !== null && !compact ? (
          <p className="product-rating" aria-label={`Rated ${rating.toFixed(1)} out of 5`}>
            ★ {rating.toFixed(1)}
            {product.reviews ? <span className="muted"> ({product.reviews})</span> : null}
          </p>
        ) : null}
      </div>
      {children ? <div className="product-card-extra">{children}</div> : null}
    </article>
  );
}

export function ProductCardSkeleton() {
  return (
    <div className="product-card product-card-skeleton" aria-hidden="true">
      <div className="product-card-media skeleton" />
      <div className="product-card-body">
        <span className="skeleton" style={{ width: '40%', height: 12 }} />
        <span className="skeleton" style={{ width: '85%', height: 16 }} />
        <span className="skeleton" style={{ width: '30%', height: 16 }} />
      </div>
    </div>
  );
}
