import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { useToast } from '@/components/ui/Toast';
import { isApiError } from '@/lib/api-client';
import { useAddCartLine } from '../api/add-cart-line';
import { useVote, useVoteProduct, type VoteValue } from '../api/vote-product';
import { useAddToWishlist } from '../api/wishlist';
import { BuyingForSelect, type PersonOption } from './BuyingForSelect';

export interface ProductActionsProps {
  roomId: string;
  productId: string;
  size: string | null;
  /** The product has sizes to choose from. */
  needsSize: boolean;
  members: PersonOption[];
  meId: string | undefined;
  canAct: boolean;
}

/** Add to cart (with size, quantity, who it is for), wishlist and 👍/👎 for one product. */
export function ProductActions({ roomId, productId, size, needsSize, members, meId, canAct }: ProductActionsProps) {
  const [quantity, setQuantity] = useState(1);
  const [buyingFor, setBuyingFor] = useState<string>('');
  const add = useAddCartLine(roomId);
  const wish = useAddToWishlist(roomId);
  const vote = useVoteProduct(roomId);
  const myVote = useVote(roomId, productId);
  const toast = useToast();
  const [sizeError, setSizeError] = useState<string | null>(null);

  const addToCart = () => {
    if (needsSize && !size) {
      setSizeError('Choose a size first');
      return;
    }
    setSizeError(null);
    add.mutate(
      { product_id: productId, size: size ?? 'One size', quantity, buying_for: buyingFor || null },
      {
        onSuccess: () => toast.show('Added to the family cart', 'success'),
        onError: (e) => {
          const field = isApiError(e) ? (e.fieldError('size') ?? e.fieldError('quantity')) : undefined;
          if (field) setSizeError(field);
          else toast.error(e, 'Could not add to the cart');
        },
      },
    );
  };
  const castVote = (value: VoteValue) =>
    vote.mutate({ productId, value: myVote?.value === value ? 0 : value }, { onError: (e) => toast.error(e, 'Vote not saved') });

  if (!canAct) return <p className="muted small">Viewers can look but not add or vote.</p>;
  return (
    <div className="actions">
      {sizeError ? (
        <p className="field-error" role="alert">
          {sizeError}
        </p>
      ) : null}
      <div className="row wrap">
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
        <BuyingForSelect value={buyingFor} onChange={setBuyingFor} members={members} meId={meId} />
      </div>
      <div className="row wrap">
        <Button onClick={addToCart} busy={add.isPending}>
          Add to cart
        </Button>
        <Button
          variant="secondary"
          busy={wish.isPending}
          onClick={() =>
            wish.mutate(
              { product_id: productId, buying_for: buyingFor || null },
              { onSuccess: () => toast.show('Added to the wishlist', 'success'), onError: (e) => toast.error(e) },
            )
          }
        >
          ☆ Wishlist
        </Button>
        <div className="vote" role="group" aria-label="Vote">
          <button type="button" className={`vote-btn${myVote?.value === 1 ? ' on' : ''}`} aria-pressed={myVote?.value === 1} onClick={() => castVote(1)} disabled={vote.isPending}>
            👍 <span className="sr-only">Vote up</span>
            {myVote ? <span className="count">{myVote.up}</span> : null}
          </button>
          <button type="button" className={`vote-btn${myVote?.value === -1 ? ' on' : ''}`} aria-pressed={myVote?.value === -1} onClick={() => castVote(-1)} disabled={vote.isPending}>
            👎 <span className="sr-only">Vote down</span>
            {myVote ? <span className="count">{myVote.down}</span> : null}
          </button>
        </div>
      </div>
    </div>
  );
}
