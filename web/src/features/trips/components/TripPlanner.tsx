// The room's trips: pick a saved plan or plan a new one. Plans are shared
// live: trip_planned/trip_updated activities invalidate these queries.
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
  const current = selected ?? (planning ? null : (trips.data?.[0]?.id ?? null));
  const trip = useTrip(roomId, current);
  const remove = useDeleteTrip(roomId);
  const toast = useToast();

  return (
    <div className="trips">
      <div className="trip-tabs row wrap" role="group" aria-label="Trips">
        {trips.isPending ? <SkeletonList rows={1} label="Loading trips" /> : null}
        {(trips.data ?? []).map((t) => (
          <Button
            key={t.id}
            size="sm"
            variant={t.id === current ? 'primary' : 'secondary'}
            aria-pressed={t.id === current}
            onClick={() => {
              setSelected(t.id);
              setPlanning(false);
            }}
          >
            🧳 {t.destination}
          </Button>
        ))}
        {canAct ? (
          <Button
            size="sm"
            variant={planning || (!current && !trips.isPending) ? 'primary' : 'ghost'}
            onClick={() => {
              setSelected(null);
              setPlanning(true);
            }}
          >
            + New trip
          </Button>
        ) : null}
      </div>
      {current ? (
        trip.isPending ? (
          <SkeletonList rows={4} label="Loading the packing list" />
        ) : trip.data ? (
          <>
            <PackingList key={trip.data.id} roomId={roomId} trip={trip.data} canAct={canAct} onAddToCart={onAddToCart} onOpenProduct={onOpenProduct} />
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
          <EmptyState icon="⚠️" title="Could not load this trip" action={<Button onClick={() => void trip.refetch()}>Try again</Button>} />
        )
      ) : canAct ? (
        <TripForm
          roomId={roomId}
          members={members}
          meId={meId}
          onCreated={(t) => {
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
