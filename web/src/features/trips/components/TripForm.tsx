import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { fieldErrors, SelectField, TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { isApiError } from '@/lib/api-client';
import { CLIMATES, durationDays, TRIP_TYPES, useCreateTrip } from '../api/create-trip';
import type { Traveler, TripPlan } from '../api/get-trip';

interface ByHand {
  name: string;
  age: string;
  gender: string;
}

export interface TripFormProps {
  roomId: string;
  members: { user_id: string; name: string }[];
  meId: string | undefined;
  onCreated: (trip: TripPlan, budget: string) => void;
}

const DRAFT_KEY = (roomId: string) => `familyroom.trip_draft.${roomId}`;

export function TripForm({ roomId, members, meId, onCreated }: TripFormProps) {
  const create = useCreateTrip(roomId);
  const toast = useToast();
  const saved = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(DRAFT_KEY(roomId)) ?? 'null') as Record<string, unknown> | null;
    } catch {
      return null;
    }
  })();
  const [destination, setDestination] = useState<string>((saved?.destination as string) ?? '');
  const [start, setStart] = useState<string>((saved?.start as string) ?? '');
  const [end, setEnd] = useState<string>((saved?.end as string) ?? '');
  const [tripType, setTripType] = useState<string>((saved?.tripType as string) ?? 'leisure');
  const [climate, setClimate] = useState<string>((saved?.climate as string) ?? '');
  const [occasion, setOccasion] = useState<string>((saved?.occasion as string) ?? '');
  const [budget, setBudget] = useState<string>((saved?.budget as string) ?? '');
  const [chosen, setChosen] = useState<string[]>((saved?.chosen as string[]) ?? (meId ? [meId] : []));
  const [byHand, setByHand] = useState<ByHand[]>((saved?.byHand as ByHand[]) ?? []);
  const errors = fieldErrors(create.error);
  const keep = () => sessionStorage.setItem(DRAFT_KEY(roomId), JSON.stringify({ destination, start, end, tripType, climate, occasion, budget, chosen, byHand }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    keep();
    const travelers: Traveler[] = [
      ...members.filter((m) => chosen.includes(m.user_id)).map((m) => ({ user_id: m.user_id, name: m.name })),
      ...byHand
        .filter((t) => t.name.trim())
        .map((t) => ({
          name: t.name.trim(),
          ...(t.age && Number.isFinite(Number(t.age)) ? { age: Number(t.age) } : {}),
          ...(t.gender ? { gender: t.gender } : {}),
        })),
    ];
    create.mutate(
      {
        destination: destination.trim(),
        trip_type: tripType,
        duration: start && end ? durationDays(start, end) : 3,
        ...(start ? { start_date: start } : {}),
        ...(climate ? { climate } : {}),
        ...(occasion.trim() ? { occasion: occasion.trim() } : {}),
        travelers: travelers.length ? travelers : 1,
      },
      {
        onSuccess: (trip) => {
          sessionStorage.removeItem(DRAFT_KEY(roomId));
          onCreated(trip, budget);
        },
        onError: (err) => {
          if (!isApiError(err) || err.errors.length === 0) toast.error(err, 'Could not plan the trip');
        },
      },
    );
  };

  return (
    <form className="card form trip-form" onSubmit={submit} onChange={keep} noValidate>
      <h2 className="h-section">Plan a trip</h2>
      <TextField label="Destination" required placeholder="Goa" value={destination} onChange={(e) => setDestination(e.target.value)} error={errors.destination} />
      <div className="grid-2">
        <TextField label="From" type="date" value={start} onChange={(e) => setStart(e.target.value)} error={errors.start_date} />
        <TextField label="To" type="date" min={start || undefined} value={end} onChange={(e) => setEnd(e.target.value)} error={errors.duration} hint={start && end ? `${durationDays(start, end)} days` : 'Three days if left empty'} />
      </div>
      <div className="grid-2">
        <SelectField label="Kind of trip" value={tripType} onChange={(e) => setTripType(e.target.value)} error={errors.trip_type}>
          {TRIP_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
        <SelectField label="Weather" value={climate} onChange={(e) => setClimate(e.target.value)} error={errors.climate}>
          <option value="">Work it out for me</option>
          {CLIMATES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="grid-2">
        <TextField label="Occasion (optional)" placeholder="Cousin’s wedding" value={occasion} onChange={(e) => setOccasion(e.target.value)} error={errors.occasion} />
        <TextField label="Budget for new things (₹, optional)" type="number" min={0} inputMode="numeric" value={budget} onChange={(e) => setBudget(e.target.value)} hint="Used here to flag suggestions over budget." />
      </div>
      <fieldset className="fieldset">
        <legend>Who is travelling</legend>
        <div className="chip-toggles">
          {members.map((m) => {
            const on = chosen.includes(m.user_id);
            return (
              <button key={m.user_id} type="button" className={`chip chip-toggle${on ? ' on' : ''}`} aria-pressed={on} onClick={() => setChosen((c) => (on ? c.filter((x) => x !== m.user_id) : [...c, m.user_id]))}>
                {m.user_id === meId ? 'Me' : m.name}
              </button>
            );
          })}
        </div>
        {byHand.map((t, i) => (
          <div className="grid-3 by-hand" key={i}>
            <TextField label={`Traveller ${i + 1} name`} value={t.name} onChange={(e) => setByHand((l) => l.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} error={errors[`travelers.${i}.name`]} />
            <TextField label="Age" type="number" min={0} max={120} value={t.age} onChange={(e) => setByHand((l) => l.map((x, j) => (j === i ? { ...x, age: e.target.value } : x)))} />
            <SelectField label="Clothes for" value={t.gender} onChange={(e) => setByHand((l) => l.map((x, j) => (j === i ? { ...x, gender: e.target.value } : x)))}>
              <option value="">Any</option>
              <option value="women">women</option>
              <option value="men">men</option>
              <option value="girls">girls</option>
              <option value="boys">boys</option>
            </SelectField>
          </div>
        ))}
        <Button variant="ghost" size="sm" onClick={() => setByHand((l) => [...l, { name: '', age: '', gender: '' }])}>
          + Add someone by hand
        </Button>
        {errors.travelers ? <p className="field-error" role="alert">{errors.travelers}</p> : null}
      </fieldset>
      <Button type="submit" busy={create.isPending}>
        Make packing lists
      </Button>
    </form>
  );
}
