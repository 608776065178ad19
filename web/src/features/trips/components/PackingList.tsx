// The packing list of one trip, per traveller, with each line's reason. Every
// edit goes to the server at once (PATCH with line edits) and shows
// optimistically; the trip_updated activity brings other members' edits.
import { useMemo } from 'react';
import { Button } from '@/components/ui/Button';
import { useToast } from '@/components/ui/Toast';
import { formatMoney, safeImageUrl } from '@/lib/format';
import { chosenProduct, type PackingLine, type Trip } from '../api/get-trip';
import { humanize } from '../api/create-trip';
import { useUpdateTrip, type LineEdit } from '../api/update-trip';

export interface PackingListProps {
  roomId: string;
  trip: Trip;
  canAct: boolean;
  /** Adds a product to the family cart for a traveller (a member's id or a name; null for shared lines); the page decides about sizes. */
  onAddToCart: (productId: string, quantity: number, buyingFor: string | null) => void;
  onOpenProduct: (productId: string) => void;
}

/** The next offered product after the chosen one, wrapping round. */
export function nextProductId(line: PackingLine): string | null {
  if (line.products.length === 0) return null;
  const at = line.products.findIndex((p) => p.id === line.product_id);
  return line.products[(at + 1) % line.products.length]!.id;
}

export function PackingList({ roomId, trip, canAct, onAddToCart, onOpenProduct }: PackingListProps) {
  const update = useUpdateTrip(roomId, trip.id);
  const toast = useToast();
  const edit = (e: LineEdit) => update.edit([e], { onError: (err) => toast.error(err, 'Could not save the change') });

  const groups = useMemo(() => {
    const map = new Map<number | null, PackingLine[]>();
    for (const line of trip.packing_list) {
      const k = line.traveler_index ?? null;
      map.set(k, [...(map.get(k) ?? []), line]);
    }
    // Travellers in their order, the shared lines last.
    return [...map.entries()].sort(([a], [b]) => (a ?? Infinity) - (b ?? Infinity));
  }, [trip.packing_list]);

  const lines = trip.packing_list;
  const done = lines.filter((l) => l.checked).length;

  return (
    <section className="packing" aria-label={`Packing list for ${trip.destination}`}>
      <div className="row between wrap">
        <h2 className="h-section">
          {trip.destination} · {trip.duration} {trip.duration === 1 ? 'day' : 'days'} · {humanize(trip.trip_type)}
        </h2>
        <span className="muted small" aria-live="polite">
          {done} of {lines.length} packed
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={lines.length} aria-valuenow={done} aria-label="Packed">
        <span style={{ width: `${lines.length ? (done / lines.length) * 100 : 0}%` }} />
      </div>
      <p className="small muted">
        {trip.climate.low_c}–{trip.climate.high_c} °C{trip.climate.rainy ? ', rain likely' : ''}
        {trip.climate.snowy ? ', snow likely' : ''}
        {trip.climate.inferred ? ' (expected for the month)' : ''}
      </p>
      {trip.shopping.lines > 0 ? (
        <p className="small muted">
          To buy: {trip.shopping.lines} {trip.shopping.lines === 1 ? 'item' : 'items'}, about {formatMoney(trip.shopping.total)}
          {trip.budget ? ` · suggestions at most ${formatMoney(trip.budget)} each` : ''}
        </p>
      ) : null}
      {trip.notes.length ? (
        <ul className="small muted trip-notes">
          {trip.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {groups.map(([index, group]) => {
        const traveler = index == null ? undefined : trip.travelers[index];
        const label = traveler?.name ?? group[0]?.traveler ?? 'Shared';
        const buyingFor = traveler ? (traveler.user_id ?? traveler.name) : null;
        return (
          <div className="packing-group" key={index ?? 'shared'}>
            <h3 className="h-small">{index == null ? 'Shared by the family' : label}</h3>
            <ul>
              {group.map((line) => {
                const product = chosenProduct(line);
                const img = safeImageUrl(product?.image ?? undefined);
                return (
                  <li key={line.id} className={`packing-item${line.checked ? ' done' : ''}${line.owned ? ' owned' : ''}`} data-line={line.id}>
                    <label className="packing-check">
                      <input type="checkbox" checked={line.checked} disabled={!canAct} onChange={(e) => edit({ id: line.id, checked: e.target.checked })} />
                      <span>
                        <strong>{line.item}</strong>
                        <span className="chip chip-sm">{line.category}</span>
                        <span className="muted small packing-reason">{line.reason}</span>
                      </span>
                    </label>
                    <div className="stepper" role="group" aria-label={`How many ${line.item}`}>
                      <button type="button" aria-label="One fewer" disabled={!canAct || line.quantity <= 1} onClick={() => edit({ id: line.id, quantity: line.quantity - 1 })}>
                        −
                      </button>
                      <span>{line.quantity}</span>
                      <button type="button" aria-label="One more" disabled={!canAct || line.quantity >= 200} onClick={() => edit({ id: line.id, quantity: line.quantity + 1 })}>
                        +
                      </button>
                    </div>
                    <label className="small owned-toggle">
                      <input type="checkbox" checked={line.owned} disabled={!canAct} onChange={(e) => edit({ id: line.id, owned: e.target.checked })} /> Have it
                    </label>
                    {product && !line.owned ? (
                      <div className="packing-product">
                        <button type="button" className="thumb-btn" onClick={() => onOpenProduct(product.id)} aria-label={`Open suggestion for ${line.item}: ${product.title}`}>
                          {img ? <img src={img} alt="" loading="lazy" width={48} height={48} /> : <span aria-hidden="true">👕</span>}
                          <span className="small">
                            {product.title} <span className="muted">{formatMoney(product.price)}</span>
                          </span>
                        </button>
                        {canAct && line.products.length > 1 ? (
                          <Button variant="ghost" size="sm" aria-label={`Swap the suggestion for ${line.item}`} onClick={() => edit({ id: line.id, product_id: nextProductId(line) })}>
                            ⇄ Swap
                          </Button>
                        ) : null}
                        {canAct ? (
                          <Button size="sm" variant="secondary" aria-label={`Add ${product.title} to the cart`} onClick={() => onAddToCart(product.id, line.quantity, buyingFor)}>
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
        );
      })}
    </section>
  );
}
