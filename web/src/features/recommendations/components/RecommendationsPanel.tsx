import { useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { SkeletonList } from '@/components/ui/Skeleton';
import { productIdOf, useRecommendations, type RecommendedProduct } from '../api/list-recommendations';

export interface RecommendationsPanelProps {
  roomId: string;
  members: { user_id: string; name: string }[];
  meId: string | undefined;
  nameOf: (userId: string) => string;
  renderProduct: (product: RecommendedProduct | string) => ReactNode;
}

/** Picks for the room or one member; kept live by `recommendations` frames through the cache. */
export function RecommendationsPanel({ roomId, members, meId, nameOf, renderProduct }: RecommendationsPanelProps) {
  const [forUser, setForUser] = useState<string>('');
  const recs = useRecommendations(roomId, forUser || undefined);
  return (
    <section className="recs" aria-label="Recommendations">
      <div className="row between">
        <h2 className="h-section">Picks for the family</h2>
        <label>
          <span className="sr-only">Recommendations for</span>
          <select value={forUser} onChange={(e) => setForUser(e.target.value)}>
            <option value="">Everyone</option>
            {members.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.user_id === meId ? 'Me' : m.name}
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
          <article key={r.id} className="rec">
            <p className="rec-reason">
              {r.reason || r.type.replace(/_/g, ' ')}
              {r.triggered_by ? <span className="muted small"> · because of {nameOf(r.triggered_by)}</span> : null}
            </p>
            <div className="rec-row">
              {(Array.isArray(r.products) ? r.products : []).slice(0, 8).map((p) => (
                <div key={productIdOf(p)} className="rec-item">
                  {renderProduct(p)}
                </div>
              ))}
            </div>
          </article>
        ))
      )}
    </section>
  );
}
