import { useEffect, useMemo, useState } from 'react';
import { Button } from '@/components/ui/Button';
import { useToast } from '@/components/ui/Toast';
import { formatMoney, safeImageUrl } from '@/lib/format';
import { travelerLabel, type PackingItem, type PackingProduct, type TripPlan } from '../api/get-trip';
import { useUpdateTrip } from '../api/update-trip';

interface LocalState {
  checked: Record<number, boolean>;
  qty: Record<number, number>;
  pick: Record<number, number>;
  budget?: string;
}

const storeKey = (tripId: string) => `familyroom.trip.${tripId}`;

function loadLocal(tripId: string): LocalState {
  try {
    return { checked: {}, qty: {}, pick: {}, ...(JSON.parse(localStorage.getItem(storeKey(tripId)) ?? '{}') as Partial<LocalState>) };
  } catch {
    return { checked: {}, qty: {}, pick: {} };
  }
}

export interface PackingListProps {
  roomId: string;
  trip: TripPlan;
  nameOf: (userId: string) => string | undefined;
  canAct: boolean;
  initialBudget?: string;
  /** Adds a product to the family cart; the page decides about sizes. */
  onAddToCart: (productId: string, quantity: number, travelerUserId: string | null) => void;
  onOpenProduct: (productId: string) => void;
}

function productOf(item: PackingItem, pick: number): PackingProduct | string | undefined {
  const list = Array.isArray(item.products) ? item.products : [];
  return list.length ? list[pick % list.length] : undefined;
}

export function PackingList({ roomId, trip, nameOf, canAct, initialBudget, onAddToCart, onOpenProduct }: PackingListProps) {
  const [local, setLocal] = useState<LocalState>(() => {
    const l = loadLocal(trip.id);
    return initialBudget ? { ...l, budget: initialBudget } : l;
  });
  const update = useUpdateTrip(roomId, trip.id);
  const toast = useToast();
  const [synced, setSynced] = useState(true);

  useEffect(() => {
    try {
      localStorage.setItem(storeKey(trip.id), JSON.stringify(local));
    } catch {
      // Memory only.
    }
  }, [local, trip.id]);

  const items = Array.isArray(trip.packing_list) ? trip.packing_list : [];
  const checkedOf = (i: number) => local.checked[i] ?? !!items[i]?.checked;
  const qtyOf = (i: number) => local.qty[i] ?? items[i]?.quantity ?? 1;

  // Saved on this device at once; sent to the server as the trip's packing list.
  const sync = (next: LocalState) => {
    setLocal(next);
    const packing_list = items.map((it, i) => {
      const p = productOf(it, next.pick[i] ?? 0);
      return { ...it, checked: next.checked[i] ?? !!it.checked, quantity: next.qty[i] ?? it.quantity, ...(p ? { product_id: typeof p === 'string' ? p : p.id } : {}) };
    });
    update.mutate({ packing_list }, { onSuccess: () => setSynced(true), onError: () => setSynced(false) });
  };

  const groups = useMemo(() => {
    const map = new Map<string, number[]>();
    items.forEach((it, i) => {
      const label = travelerLabel(it.traveler, nameOf);
      map.set(label, [...(map.get(label) ?? []), i]);
    });
    return [...map.entries()];
  }, [items, nameOf]);

  const done = items.filter((_, i) => checkedOf(i)).length;
  const budget = Number(local.budget);
  const estimate = items.reduce((sum, it, i) => {
    if (checkedOf(i)) return sum;
    const p = productOf(it, local.pick[i] ?? 0);
    const amount = p && typeof p !== 'string' && p.price ? Number(p.price.amount) : 0;
    return sum + (Number.isFinite(amount) ? amount * qtyOf(i) : 0);
  }, 0);

  return (
    <section className="packing" aria-label={`Packing list for ${trip.destination}`}>
      <div className="row between wrap">
        <h2 className="h-section">
          {trip.destination} · {trip.duration} {trip.duration === 1 ? 'day' : 'days'}
        </h2>
        <span className="muted small" aria-live="polite">
          {done} of {items.length} packed{!synced ? ' · saved on this device' : ''}
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={items.length} aria-valuenow={done} aria-label="Packed">
        <span style={{ width: `${items.length ? (done / items.length) * 100 : 0}%` }} />
      </div>
      {estimate > 0 ? (
        <p className={`small${budget > 0 && estimate > budget ? ' over-budget' : ' muted'}`}>
          Suggested products still to buy: about {formatMoney({ amount: estimate.toFixed(2), currency: 'INR' })}
          {budget > 0 ? (estimate > budget ? ` — over your budget of ${formatMoney({ amount: budget.toFixed(2), currency: 'INR' })}` : ' — within budget') : ''}
        </p>
      ) : null}
      {groups.map(([label, indexes]) => (
        <div className="packing-group" key={label}>
          <h3 className="h-small">{label}</h3>
          <ul>
            {indexes.map((i) => {
              const it = items[i]!;
              const product = productOf(it, local.pick[i] ?? 0);
              const pid = product ? (typeof product === 'string' ? product : product.id) : null;
              const img = product && typeof product !== 'string' ? safeImageUrl(product.images?.[0]) : undefined;
              const alternatives = Array.isArray(it.products) ? it.products.length : 0;
              const travelerUserId = it.traveler && typeof it.traveler === 'object' ? (it.traveler.user_id ?? null) : null;
              return (
                <li key={i} className={`packing-item${checkedOf(i) ? ' done' : ''}`}>
                  <label className="packing-check">
                    <input type="checkbox" checked={checkedOf(i)} onChange={(e) => sync({ ...local, checked: { ...local.checked, [i]: e.target.checked } })} />
                    <span>
                      <strong>{it.item}</strong>
                      {it.category ? <span className="chip chip-sm">{it.category}</span> : null}
                      {it.reason ? <span className="muted small packing-reason">{it.reason}</span> : null}
                    </span>
                  </label>
                  <div className="stepper" role="group" aria-label={`How many ${it.item}`}>
                    <button type="button" aria-label="One fewer" disabled={qtyOf(i) <= 1} onClick={() => sync({ ...local, qty: { ...local.qty, [i]: qtyOf(i) - 1 } })}>
                      −
                    </button>
                    <span>{qtyOf(i)}</span>
                    <button type="button" aria-label="One more" onClick={() => sync({ ...local, qty: { ...local.qty, [i]: qtyOf(i) + 1 } })}>
                      +
                    </button>
                  </div>
                  {pid ? (
                    <div className="packing-product">
                      <button type="button" className="thumb-btn" onClick={() => onOpenProduct(pid)} aria-label={`Open suggestion for ${it.item}`}>
                        {img ? <img src={img} alt="" loading="lazy" /> : <span aria-hidden="true">👕</span>}
                        {product && typeof product !== 'string' ? (
                          <span className="small">
                            {product.title} {product.price ? <span className="muted">{formatMoney(product.price)}</span> : null}
                          </span>
                        ) : null}
                      </button>
                      {alternatives > 1 ? (
                        <Button variant="ghost" size="sm" onClick={() => sync({ ...local, pick: { ...local.pick, [i]: (local.pick[i] ?? 0) + 1 } })}>
                          ⇄ Swap
                        </Button>
                      ) : null}
                      {canAct ? (
                        <Button size="sm" variant="secondary" onClick={() => onAddToCart(pid, qtyOf(i), travelerUserId)}>
                          Add to cart
                        </Button>
                      ) : null}
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
      {update.isError && !synced ? (
        <button type="button" className="link-btn small" onClick={() => toast.show('Your ticks are kept on this device and will be sent again with the next change.')}>
          Why “saved on this device”?
        </button>
      ) : null}
    </section>
  );
}
