import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { SkeletonList } from '@/components/ui/Skeleton';
import { formatMoney, safeImageUrl } from '@/lib/format';
import { useRecommendations, type RecommendedProduct } from '../api/list-recommendations';

export interface RecommendationsPanelProps {
  roomId: string;
  members: { user_id: string; name: string }[];
  meId: string | undefined;
  nameOf: (userId: string) => string;
  onOpenProduct: (productId: string) => void;
}

function PickCard({ product, onOpen }: { product: RecommendedProduct; onOpen: (id: string) => void }) {
  const img = safeImageUrl(product.image ?? undefined);
  return (
    <button type="button" className="pick-card" onClick={() => onOpen(product.id)} aria-label={`${product.title}, ${formatMoney(product.price)}`}>
      <span className="pick-img">{img ? <img src={img} alt="" loading="lazy" width={120} height={150} /> : <span aria-hidden="true">🛍️</span>}</span>
      <span className="small pick-brand muted">{product.brand}</span>
      <span className="small pick-title">{product.title}</span>
      <strong className="small">{formatMoney(product.price)}</strong>
    </button>
  );
}

/** Picks for me or another member; kept live by `recommendations` frames through the cache. */
export function RecommendationsPanel({ roomId, members, meId, nameOf, onOpenProduct }: RecommendationsPanelProps) {
  const [forUser, setForUser] = useState<string>('');
  // My own lists are read without `for_user`: that is the key the frames write.
  const target = forUser && forUser !== meId ? forUser : undefined;
  const recs = useRecommendations(roomId, target);
  return (
    <section className="recs" aria-label="Recommendations">
      <div className="row between">
        <h2 className="h-section">{target ? `Picks for ${nameOf(target)}` : 'Picks for you'}</h2>
        <label>
          <span className="sr-only">Recommendations for</span>
          <select value={target ?? ''} onChange={(e) => setForUser(e.target.value)}>
            <option value="">Me</option>
            {members
              .filter((m) => m.user_id !== meId)
              .map((m) => (
                <option key={m.user_id} value={m.user_id}>
                  {m.name}
                </option>
              ))}
          </select>
        </label>
      </div>
      {recs.isPending ? (
        <SkeletonList rows={3} label="Loading recommendations" />
      ) : recs.isError ? (
        <EmptyState icon="⚠️" title="Could not load picks" action={<Button onClick={() => void recs.refetch()}>Try again</Button>} />
      ) : recs.data.length === 0 ? (
        <EmptyState icon="✨" title="No picks yet">
          Like, vote and add to the cart: picks appear as the family shops.
        </EmptyState>
      ) : (
        recs.data.map((r) => (
          <article key={r.id} className="rec" data-type={r.type}>
            <p className="rec-reason">
              {r.reason || r.type.replace(/_/g, ' ')}
              {r.triggered_by && r.triggered_by !== meId ? <span className="muted small"> · because of {nameOf(r.triggered_by)}</span> : null}
            </p>
            <div className="rec-row">
              {r.products.slice(0, 8).map((p) => (
                <div key={p.id} className="rec-item">
                  <PickCard product={p} onOpen={onOpenProduct} />
                </div>
              ))}
            </div>
          </article>
        ))
      )}
    </section>
  );
}
