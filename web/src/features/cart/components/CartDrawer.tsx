import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { Modal } from '@/components/ui/Modal';
import { SkeletonList } from '@/components/ui/Skeleton';
import { useToast } from '@/components/ui/Toast';
import { countOf, formatMoney, safeImageUrl } from '@/lib/format';
import { useCart, type Cart, type CartLine } from '../api/get-cart';
import { useRemoveCartLine } from '../api/remove-cart-line';
import { useRevealCartLine } from '../api/reveal-cart-line';
import { staleLine, useUpdateCartLine, type UpdateCartLineBody } from '../api/update-cart-line';
import { BuyingForSelect, type PersonOption } from './BuyingForSelect';

export interface CartDrawerProps {
  roomId: string;
  open: boolean;
  onClose: () => void;
  members: PersonOption[];
  meId: string | undefined;
  canAct: boolean;
  onOpenProduct: (productId: string) => void;
  /** "hidden from …" for a secret line, composed by the page. */
  renderSecretMark?: (line: CartLine) => React.ReactNode;
}

export function CartDrawer({ roomId, open, onClose, members, meId, canAct, onOpenProduct, renderSecretMark }: CartDrawerProps) {
  const cart = useCart(roomId);
  const update = useUpdateCartLine(roomId);
  const remove = useRemoveCartLine(roomId);
  const reveal = useRevealCartLine(roomId);
  const toast = useToast();
  const nameOf = (id: string | null | undefined) => {
    if (!id) return null;
    if (id === meId) return 'you';
    return members.find((m) => m.user_id === id)?.name ?? id;
  };
  const lines = cart.data?.lines ?? [];
  // Lines someone else changed under this member's edit: line id to a note.
  const [staleNotes, setStaleNotes] = useState<Record<string, string>>({});
  const edit = (line: CartLine, body: UpdateCartLineBody) => {
    setStaleNotes(({ [line.id]: _, ...rest }) => rest);
    update.mutate(
      { lineId: line.id, body: { ...body, version: line.version } },
      {
        onError: (e) => {
          const current = staleLine(e);
          if (!current) return toast.error(e);
          setStaleNotes((notes) => ({
            ...notes,
            [line.id]: `Someone else changed this line just now: it shows ${current.quantity} × size ${current.size}${current.buying_for ? ` for ${nameOf(current.buying_for) ?? 'someone'}` : ''}. Your change was not saved; make it again if you still want it.`,
          }));
        },
      },
    );
  };
  const editing = (line: CartLine) => update.isPending && update.variables?.lineId === line.id;

  return (
    <Modal open={open} onClose={onClose} title="Family cart" variant="drawer">
      {cart.isPending ? (
        <SkeletonList rows={3} label="Loading the cart" />
      ) : cart.isError ? (
        <EmptyState icon="⚠️" title="Could not load the cart" action={<Button onClick={() => void cart.refetch()}>Try again</Button>} />
      ) : lines.length === 0 ? (
        <EmptyState icon="🛒" title="The cart is empty">
          Open a product and add it for anyone in the family.
        </EmptyState>
      ) : (
        <>
          <ul className="cart-lines">
            {lines.map((line) => {
              const img = safeImageUrl(line.product.image);
              const changed = line.price_now && line.price_at_add && line.price_now.amount !== line.price_at_add.amount;
              return (
                <li key={line.id} className={`cart-line${line.in_stock === false ? ' out' : ''}`}>
                  <button type="button" className="cart-thumb" onClick={() => onOpenProduct(line.product.id)} aria-label={`Open ${line.product.title}`}>
                    {img ? <img src={img} alt="" loading="lazy" /> : <span aria-hidden="true">👕</span>}
                  </button>
                  <div className="cart-line-body">
                    <p className="cart-line-title">
                      <strong>{line.product.title}</strong>
                      {renderSecretMark?.(line)}
                    </p>
                    <p className="muted small">
                      Size {line.size} · added by {nameOf(line.added_by) ?? 'someone'}
                      {line.in_stock === false ? <span className="badge badge-warn"> out of stock</span> : null}
                    </p>
                    <p className="cart-price">
                      {formatMoney(line.price_now ?? line.price_at_add)}
                      {changed ? <span className="muted small"> (was {formatMoney(line.price_at_add)})</span> : null}
                    </p>
                    {staleNotes[line.id] ? (
                      <p className="notice notice-warn small" role="alert">
                        {staleNotes[line.id]}
                      </p>
                    ) : null}
                    {canAct ? (
                      <div className="row wrap">
                        <div className="stepper" role="group" aria-label={`Quantity of ${line.product.title}`}>
                          <button
                            type="button"
                            aria-label="One fewer"
                            disabled={line.quantity <= 1 || editing(line)}
                            onClick={() => edit(line, { quantity: line.quantity - 1 })}
                          >
                            −
                          </button>
                          <span aria-live="polite">{line.quantity}</span>
                          <button
                            type="button"
                            aria-label="One more"
                            disabled={line.quantity >= 10 || editing(line)}
                            onClick={() => edit(line, { quantity: line.quantity + 1 })}
                          >
                            +
                          </button>
                        </div>
                        <BuyingForSelect
                          value={line.buying_for ?? ''}
                          members={members}
                          meId={meId}
                          onChange={(v) => edit(line, { buying_for: v || null })}
                        />
                        <Button variant="ghost" size="sm" onClick={() => remove.mutate(line.id, { onError: (e) => toast.error(e) })}>
                          Remove
                        </Button>
                        {line.is_secret && line.added_by === meId ? (
                          <Button variant="ghost" size="sm" onClick={() => reveal.mutate(line.id, { onSuccess: () => toast.show('Revealed to the whole room', 'success'), onError: (e) => toast.error(e) })}>
                            Reveal
                          </Button>
                        ) : null}
                      </div>
                    ) : line.buying_for ? (
                      <p className="small">For {nameOf(line.buying_for)}</p>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
          <div className="cart-total">
            <span>{countOf(itemCount(cart.data), 'item')}</span>
            <strong>{formatMoney(cart.data.totals?.amount)}</strong>
          </div>
        </>
      )}
    </Modal>
  );
}

export function useCartCount(roomId: string): number {
  return itemCount(useCart(roomId).data);
}

/** The server's total when it sent one, else the lines' quantities added up. */
function itemCount(cart: Cart | undefined): number {
  return cart?.totals?.items ?? cart?.lines?.reduce((n, l) => n + l.quantity, 0) ?? 0;
}
