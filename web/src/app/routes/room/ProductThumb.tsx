import { useProduct } from '@/features/catalog';
import { safeImageUrl } from '@/lib/format';

/** A small picture and title of a product, loaded by id (cached across the room). */
export function ProductThumb({ productId }: { productId: string }) {
  const { data } = useProduct(productId);
  const img = safeImageUrl(data?.images?.[0]);
  return (
    <span className="product-thumb" title={data?.title}>
      {img ? <img src={img} alt="" loading="lazy" /> : <span className="product-thumb-empty" aria-hidden="true">👕</span>}
      <span className="product-thumb-title">{data?.title ?? '…'}</span>
    </span>
  );
}
