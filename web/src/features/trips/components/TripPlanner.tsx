import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { SkeletonList } from '@/components/ui/Skeleton';
import { useToast } from '@/components/ui/Toast';
import { useDeleteTrip } from '../api/delete-trip';
import { useTrip } from '../api/get-trip';
import { useTrips } from '../api/list-trips';
import { PackingList, type PackingListProps } from './PackingList';
import { TripForm } from './TripForm';

export interface TripPlannerProps {
  roomId: string;
  members: { user_id: string; name: string }[];
  meId: string | undefined;
  canAct: boolean;
  onAddToCart: PackingListProps['onAddToCart'];
  onOpenProduct: PackingListProps['onOpenProduct'];
}

export function TripPlanner({ roomId, members, meId, canAct, onAddToCart, onOpenProduct }: TripPlannerProps) {
  const trips = useTrips(roomId);
  const [selected, setSelected] = useState<string | null>(null);
  const [planning, setPlanning] = useState(false);
  const [budget, setBudget] = useState<string>('');
  const current = selected ?? (planning ? null : (trips.data?.[0]?.id ?? null));
  const trip = useTrip(roomId, current);
  const remove = useDeleteTrip(roomId);
  const toast = useToast();
  const nameOf = (id: string) => members.find((m) => m.user_id === id)?.name;

  return (
    <div className="trips">
      <div className="trip-tabs row wrap">
        {trips.isPending ? <SkeletonList rows={1} label="Loading trips" /> : null}
        {(trips.data ?? []).map((t) => (
          <Button key={t.id} size="sm" variant={t.id === current ? 'primary' : 'secondary'} onClick={() => { setSelected(t.id); setPlanning(false); }}>
            🧳 {t.destination}
          </Button>
        ))}
        {canAct ? (
          <Button size="sm" variant={planning || (!current && !trips.isPending) ? 'primary' : 'ghost'} onClick={() => { setSelected(null); setPlanning(true); }}>
            + New trip
          </Button>
        ) : null}
      </div>
      {current ? (
        trip.isPending ? (
          <SkeletonList rows={4} label="Loading the packing list" />
        ) : trip.data ? (
          <>
            <PackingList key={trip.data.id} roomId={roomId} trip={trip.data} nameOf={nameOf} canAct={canAct} initialBudget={budget} onAddToCart={onAddToCart} onOpenProduct={onOpenProduct} />
            {canAct ? (
              <Button
                variant="ghost"
                size="sm"
                onClick={() => {
                  if (!window.confirm('Delete this trip and its packing lists?')) return;
                  remove.mutate(trip.data!.id, { onSuccess: () => setSelected(null), onError: (e) => toast.error(e) });
                }}
              >
                Delete trip
              </Button>
            ) : null}
          </>
        ) : (
          <EmptyState icon="⚠️" title="Could not load this trip" />
        )
      ) : canAct ? (
        <TripForm
          roomId={roomId}
          members={members}
          meId={meId}
          onCreated={(t, b) => {
            setBudget(b);
            setSelected(t.id);
            setPlanning(false);
          }}
        />
      ) : (
        <EmptyState icon="🧳" title="No trips planned yet" />
      )}
    </div>
  );
}
