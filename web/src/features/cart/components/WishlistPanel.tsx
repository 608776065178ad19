import { useEffect, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { SkeletonList } from '@/components/ui/Skeleton';
import { useToast } from '@/components/ui/Toast';
import { isApiError } from '@/lib/api-client';
import { formatMoney, safeImageUrl } from '@/lib/format';
import { usePolls, type PollEntry } from '../api/get-polls';
import { useMoveToCart, useRemoveFromWishlist, useWishlist, wishlistProductId, type WishlistItem } from '../api/wishlist';

export interface WishlistPanelProps {
  roomId: string;
  meId: string | undefined;
  nameOf: (userId: string) => string;
  canAct: boolean;
  onOpenProduct: (productId: string) => void;
  renderProductThumb: (productId: string) => ReactNode;
  renderSecretMark?: (item: WishlistItem) => ReactNode;
  /** The product's sizes with stock, for the size picker of "Move to cart" (the page reads the catalog). */
  loadSizes: (productId: string) => Promise<SizeStock[]>;
}

export interface SizeStock {
  size: string;
  stock: number;
}

type Sizes = { state: 'loading' } | { state: 'ready'; sizes: SizeStock[] } | { state: 'failed' };

/** Size and quantity for moving one item into the cart; a size is required when the product has sizes. */
function MoveToCartForm({ roomId, item, loadSizes, onDone }: { roomId: string; item: WishlistItem; loadSizes: WishlistPanelProps['loadSizes']; onDone: () => void }) {
  const move = useMoveToCart(roomId);
  const toast = useToast();
  const [sizes, setSizes] = useState<Sizes>({ state: 'loading' });
  const [size, setSize] = useState('');
  const [quantity, setQuantity] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const productId = item.product.id;
  useEffect(() => {
    let live = true;
    loadSizes(productId).then(
      (all) => {
        if (!live) return;
        setSizes({ state: 'ready', sizes: all });
        const inStock = all.filter((s) => s.stock > 0);
        if (inStock.length === 1) setSize(inStock[0]!.size);
      },
      () => live && setSizes({ state: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, [loadSizes, productId]);

  if (sizes.state === 'loading') return <p className="muted small" role="status">Loading sizes…</p>;
  if (sizes.state === 'failed') return <p className="field-error" role="alert">Could not load the sizes; try again.</p>;
  if (sizes.sizes.length === 0) return <p className="muted small">This product has no sizes on sale yet.</p>;
  const submit = () => {
    if (!size) {
      setError('Choose a size first');
      return;
    }
    setError(null);
    move.mutate(
      { itemId: item.id, body: { size, quantity } },
      {
        onSuccess: () => {
          toast.show('Moved to the family cart', 'success');
          onDone();
        },
        onError: (e) => {
          const field = isApiError(e) ? (e.fieldError('size') ?? e.fieldError('quantity')) : undefined;
          if (field) setError(field);
          else toast.error(e, 'Could not move it to the cart');
        },
      },
    );
  };
  const sizeId = `move-size-${item.id}`;
  return (
    <div className="move-form">
      <label htmlFor={sizeId} className="small">
        Size
      </label>
      <select id={sizeId} value={size} onChange={(e) => setSize(e.target.value)} aria-invalid={error ? true : undefined}>
        <option value="">Choose…</option>
        {sizes.sizes.map((s) => (
          <option key={s.size} value={s.size} disabled={s.stock <= 0}>
            {s.size}
            {s.stock <= 0 ? ' (sold out)' : ''}
          </option>
        ))}
      </select>
      <label className="qty">
        <span className="sr-only">Quantity</span>
        <select value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
          {Array.from({ length: 10 }, (_, i) => (
            <option key={i + 1} value={i + 1}>
              Qty {i + 1}
            </option>
          ))}
        </select>
      </label>
      <Button size="sm" onClick={submit} busy={move.isPending}>
        Move
      </Button>
      <Button variant="ghost" size="sm" onClick={onDone}>
        Cancel
      </Button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function WishlistPanel({ roomId, nameOf, canAct, onOpenProduct, renderProductThumb, renderSecretMark, loadSizes }: WishlistPanelProps) {
  const list = useWishlist(roomId);
  const [moving, setMoving] = useState<string | null>(null);
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
            {canAct && moving === item.id ? (
              <MoveToCartForm roomId={roomId} item={item} loadSizes={loadSizes} onDone={() => setMoving(null)} />
            ) : canAct ? (
              <div className="row wrap">
                <Button size="sm" variant="secondary" onClick={() => setMoving(item.id)} aria-label={`Move ${item.product.title} to the cart`}>
                  Move to cart
                </Button>
                <Button variant="ghost" size="sm" onClick={() => remove.mutate(item.id, { onError: (e) => toast.error(e) })} aria-label={`Remove ${item.product.title} from the wishlist`}>
                  Remove
                </Button>
              </div>
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
