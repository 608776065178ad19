import { useState, type ReactNode } from 'react';
import { Modal } from '@/components/ui/Modal';
import { Skeleton } from '@/components/ui/Skeleton';
import { countOf, discountPercent, formatMoney, safeImageUrl } from '@/lib/format';
import { productImages, productSizes, useProduct, type Product } from '../api/get-product';

export interface ProductModalProps {
  productId: string | null;
  onClose: () => void;
  /** Buttons that act on the product (cart, wishlist, vote), given the chosen size. */
  renderActions?: (product: Product, size: string | null) => ReactNode;
  /** The room's side of the product: likes, comments, who looked. */
  renderSocial?: (product: Product) => ReactNode;
  /** A line above the title, e.g. "Following Asha". */
  banner?: ReactNode;
}

export function ProductModal({ productId, onClose, renderActions, renderSocial, banner }: ProductModalProps) {
  const { data: product, isPending, isError, error } = useProduct(productId);
  return (
    <Modal open={!!productId} onClose={onClose} title={product ? product.title : 'Product'} variant="wide" hideTitle>
      {banner}
      {isPending ? (
        <div className="product-detail" role="status" aria-label="Loading product">
          <Skeleton className="gallery-main" height={360} />
          <div className="product-info">
            <Skeleton width="30%" />
            <Skeleton width="80%" height={28} />
            <Skeleton width="40%" height={22} />
          </div>
        </div>
      ) : isError || !product ? (
        <p role="alert">{(error as Error | null)?.message ?? 'This product could not be loaded.'}</p>
      ) : (
        <ProductDetail key={product.id} product={product} renderActions={renderActions} renderSocial={renderSocial} />
      )}
    </Modal>
  );
}

function ProductDetail({ product, renderActions, renderSocial }: { product: Product } & Pick<ProductModalProps, 'renderActions' | 'renderSocial'>) {
  const images = productImages(product).map(safeImageUrl).filter((u): u is string => !!u);
  const [shown, setShown] = useState(0);
  const sizes = productSizes(product);
  const [size, setSize] = useState<string | null>(() => (sizes.length === 1 && sizes[0]!.stock > 0 ? sizes[0]!.size : null));
  const off = discountPercent(product.price, product.original_price);
  const meta = product.metadata ?? {};
  const chips = [meta.gender, meta.article_type ?? product.category, meta.colour, meta.season, meta.usage].filter(
    (c): c is string => typeof c === 'string' && c.length > 0,
  );

  return (
    <div className="product-detail">
      <div className="gallery">
        <div className="gallery-main">
          {images[shown] ? <img src={images[shown]} alt={product.title} /> : <div className="product-card-placeholder">👕</div>}
        </div>
        {images.length > 1 ? (
          <div className="gallery-thumbs" role="group" aria-label="Images">
            {images.map((src, i) => (
              <button key={src + i} type="button" className={i === shown ? 'active' : ''} onClick={() => setShown(i)} aria-label={`Image ${i + 1}`} aria-pressed={i === shown}>
                <img src={src} alt="" loading="lazy" />
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <div className="product-info">
        <p className="product-brand">{product.brand}</p>
        <h2 className="product-detail-title">{product.title}</h2>
        <p className="product-price product-price-lg">
          <span className="price-now">{formatMoney(product.price)}</span>
          {off > 0 ? (
            <>
              <s className="price-was">{formatMoney(product.original_price)}</s>
              <span className="badge badge-sale">{off}% off</span>
            </>
          ) : null}
        </p>
        {typeof product.rating === 'number' ? (
          <p className="product-rating">
            ★ {product.rating.toFixed(1)} <span className="muted">· {countOf(product.reviews ?? 0, 'review')}</span>
          </p>
        ) : null}
        {chips.length ? (
          <ul className="chips" aria-label="Details">
            {chips.map((c) => (
              <li key={c} className="chip">
                {c}
              </li>
            ))}
          </ul>
        ) : null}
        {sizes.length ? (
          <fieldset className="sizes">
            <legend>Size</legend>
            {sizes.map((s) => (
              <label key={s.size} className={`size-pill${s.stock <= 0 ? ' out' : ''}${size === s.size ? ' on' : ''}`}>
                <input type="radio" name="size" value={s.size} checked={size === s.size} disabled={s.stock <= 0} onChange={() => setSize(s.size)} />
                <span>{s.size}</span>
                <small>{s.stock <= 0 ? 'sold out' : s.stock <= 3 ? `${s.stock} left` : 'in stock'}</small>
              </label>
            ))}
          </fieldset>
        ) : null}
        {renderActions ? <div className="product-actions">{renderActions(product, size)}</div> : null}
        {product.description ? <p className="product-description">{product.description}</p> : null}
        {renderSocial ? <div className="product-social">{renderSocial(product)}</div> : null}
      </div>
    </div>
  );
}
