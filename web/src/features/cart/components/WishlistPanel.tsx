import type { ReactNode } from 'react';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { SkeletonList } from '@/components/ui/Skeleton';
import { useToast } from '@/components/ui/Toast';
import { formatMoney, safeImageUrl } from '@/lib/format';
import { usePolls, type PollEntry } from '../api/get-polls';
import { useRemoveFromWishlist, useWishlist, wishlistProductId, type WishlistItem } from '../api/wishlist';

export interface WishlistPanelProps {
  roomId: string;
  meId: string | undefined;
  nameOf: (userId: string) => string;
  canAct: boolean;
  onOpenProduct: (productId: string) => void;
  renderProductThumb: (productId: string) => ReactNode;
  renderSecretMark?: (item: WishlistItem) => ReactNode;
}

export function WishlistPanel({ roomId, nameOf, canAct, onOpenProduct, renderProductThumb, renderSecretMark }: WishlistPanelProps) {
  const list = useWishlist(roomId);
  const remove = useRemoveFromWishlist(roomId);
  const toast = useToast();
  if (list.isPending) return <SkeletonList rows={3} label="Loading the wishlist" />;
  if (list.isError) return <EmptyState icon="⚠️" title="Could not load the wishlist" action={<Button onClick={() => void list.refetch()}>Try again</Button>} />;
  if (list.data.length === 0)
    return (
      <EmptyState icon="☆" title="No wishes yet">
        Use “Wishlist” on a product to keep it for later.
      </EmptyState>
    );
  return (
    <ul className="wish-list">
      {list.data.map((item) => {
        const pid = wishlistProductId(item);
        const img = safeImageUrl(item.product.image);
        return (
          <li key={item.id} className="wish-item card">
            <button type="button" className="wish-open" onClick={() => pid && onOpenProduct(pid)}>
              {item.product ? (
                <>
                  <span className="cart-thumb">{img ? <img src={img} alt="" loading="lazy" /> : '👕'}</span>
                  <span>
                    <strong>{item.product.title}</strong>
                    <span className="muted small"> {formatMoney(item.product.price)}</span>
                  </span>
                </>
              ) : pid ? (
                renderProductThumb(pid)
              ) : null}
            </button>
            <p className="muted small">
              {item.added_by ? `Added by ${nameOf(item.added_by)}` : null}
              {item.buying_for ? ` · for ${nameOf(item.buying_for)}` : null}
              {renderSecretMark?.(item)}
            </p>
            {canAct ? (
              <Button variant="ghost" size="sm" onClick={() => remove.mutate(item.id, { onError: (e) => toast.error(e) })}>
                Remove
              </Button>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function PollList({ title, entries, metric, onOpenProduct, renderProductThumb }: { title: string; entries: PollEntry[] | undefined; metric: (e: PollEntry) => string; onOpenProduct: (id: string) => void; renderProductThumb: (productId: string) => ReactNode }) {
  if (!entries?.length) return null;
  return (
    <div>
      <h3 className="h-small">{title}</h3>
      <ol className="poll-list">
        {entries.slice(0, 5).map((e, i) => {
          const pid = e.product.id;
          return (
            <li key={pid ?? i}>
              <button type="button" className="thumb-btn" onClick={() => pid && onOpenProduct(pid)}>
                {pid ? renderProductThumb(pid) : null}
              </button>
              <span className="muted small">{metric(e)}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** The room's poll summary: most liked, most disliked, most discussed. */
export function PollsPanel({ roomId, onOpenProduct, renderProductThumb }: { roomId: string; onOpenProduct: (id: string) => void; renderProductThumb: (productId: string) => ReactNode }) {
  const polls = usePolls(roomId);
  if (polls.isPending) return <SkeletonList rows={2} label="Loading votes" />;
  if (polls.isError || !polls.data) return null;
  const d = polls.data;
  if (!d.most_liked?.length && !d.most_disliked?.length && !d.most_discussed?.length)
    return (
      <EmptyState icon="🗳️" title="No votes yet">
        Vote 👍 or 👎 on products to see what the family prefers.
      </EmptyState>
    );
  const count = (e: PollEntry, key: 'up' | 'down' | 'comments') => String(e[key]);
  return (
    <div className="polls">
      <PollList title="Most liked" entries={d.most_liked} metric={(e) => `👍 ${count(e, 'up')}`} onOpenProduct={onOpenProduct} renderProductThumb={renderProductThumb} />
      <PollList title="Most disliked" entries={d.most_disliked} metric={(e) => `👎 ${count(e, 'down')}`} onOpenProduct={onOpenProduct} renderProductThumb={renderProductThumb} />
      <PollList title="Most discussed" entries={d.most_discussed} metric={(e) => `💬 ${count(e, 'comments')}`} onOpenProduct={onOpenProduct} renderProductThumb={renderProductThumb} />
    </div>
  );
}
