// The trip form: destination, dates (→ duration), kind of trip, weather,
// travellers from the room's members or by hand, occasion and budget. The
// draft survives a reload in this tab.
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { fieldErrors, SelectField, TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { isApiError } from '@/lib/api-client';
import { countOf } from '@/lib/format';
import {
  CLIMATES,
  durationDays,
  GENDERS,
  humanize,
  OCCASIONS,
  TRIP_TYPES,
  useCreateTrip,
  type Climate,
  type CreateTripBody,
  type Occasion,
  type TravelerGender,
  type TravelerInput,
  type TripType,
} from '../api/create-trip';
import type { Trip } from '../api/get-trip';

interface ByHand {
  name: string;
  age: string;
  gender: TravelerGender | '';
}

interface Draft {
  destination: string;
  start: string;
  end: string;
  tripType: TripType;
  climate: Climate | '';
  occasion: Occasion;
  budget: string;
  chosen: string[];
  byHand: ByHand[];
}

export interface TripFormProps {
  roomId: string;
  members: { user_id: string; name: string }[];
  meId: string | undefined;
  onCreated: (trip: Trip) => void;
}

const DRAFT_KEY = (roomId: string) => `familyroom.trip_draft.${roomId}`;

/** `value` if it is one of `values`. */
function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return values.find((v) => v === value);
}

function loadDraft(roomId: string): Partial<Draft> {
  try {
    return (JSON.parse(sessionStorage.getItem(DRAFT_KEY(roomId)) ?? 'null') as Partial<Draft> | null) ?? {};
  } catch {
    return {};
  }
}

/** The request body for a draft; travellers chosen among members come first. */
export function tripBody(d: Draft, members: { user_id: string }[]): CreateTripBody {
  const travelers: TravelerInput[] = [
    ...members.filter((m) => d.chosen.includes(m.user_id)).map((m) => ({ user_id: m.user_id })),
    ...d.byHand
      .filter((t) => t.name.trim())
      .map((t) => ({
        name: t.name.trim(),
        ...(t.age.trim() && Number.isFinite(Number(t.age)) ? { age: Number(t.age) } : {}),
        ...(t.gender ? { gender: t.gender } : {}),
      })),
  ];
  const budget = Number(d.budget);
  return {
    destination: d.destination.trim(),
    trip_type: d.tripType,
    duration: d.start && d.end ? durationDays(d.start, d.end) : 3,
    ...(d.start ? { start_date: d.start } : {}),
    ...(d.climate ? { climate: d.climate } : {}),
    ...(d.occasion && d.occasion !== 'none' ? { occasion: d.occasion } : {}),
    ...(d.budget.trim() && Number.isFinite(budget) && budget > 0 ? { budget: { amount: budget.toFixed(2), currency: 'INR' } } : {}),
    travelers: travelers.length ? travelers : 1,
  };
}

export function TripForm({ roomId, members, meId, onCreated }: TripFormProps) {
  const create = useCreateTrip(roomId);
  const toast = useToast();
  const [saved] = useState(() => loadDraft(roomId));
  const [destination, setDestination] = useState(saved.destination ?? '');
  const [start, setStart] = useState(saved.start ?? '');
  const [end, setEnd] = useState(saved.end ?? '');
  // A draft saved by an older version of the app may hold values the API no
  // longer takes: those fall back to the defaults.
  const [tripType, setTripType] = useState<TripType>(oneOf(TRIP_TYPES, saved.tripType) ?? 'leisure');
  const [climate, setClimate] = useState<Climate | ''>(oneOf(CLIMATES, saved.climate) ?? '');
  const [occasion, setOccasion] = useState<Occasion>(oneOf(OCCASIONS, saved.occasion) ?? 'none');
  const [budget, setBudget] = useState(saved.budget ?? '');
  const [chosen, setChosen] = useState<string[]>(saved.chosen ?? (meId ? [meId] : []));
  const [byHand, setByHand] = useState<ByHand[]>(saved.byHand ?? []);
  const errors = fieldErrors(create.error);
  const draft: Draft = { destination, start, end, tripType, climate, occasion, budget, chosen, byHand };
  const keep = () => sessionStorage.setItem(DRAFT_KEY(roomId), JSON.stringify(draft));
  const chosenCount = members.filter((m) => chosen.includes(m.user_id)).length;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    keep();
    create.mutate(tripBody(draft, members), {
      onSuccess: (trip) => {
        sessionStorage.removeItem(DRAFT_KEY(roomId));
        onCreated(trip);
      },
      onError: (err) => {
        if (!isApiError(err) || err.errors.length === 0) toast.error(err, 'Could not plan the trip');
      },
    });
  };

  return (
    <form className="card form trip-form" onSubmit={submit} onChange={keep} noValidate aria-label="Plan a trip">
      <h2 className="h-section">Plan a trip</h2>
      <TextField label="Destination" required placeholder="Goa" value={destination} onChange={(e) => setDestination(e.target.value)} error={errors.destination} />
      <div className="grid-2">
        <TextField label="From" type="date" value={start} onChange={(e) => setStart(e.target.value)} error={errors.start_date} />
        <TextField
          label="To"
          type="date"
          min={start || undefined}
          value={end}
          onChange={(e) => setEnd(e.target.value)}
          error={errors.duration}
          hint={start && end ? countOf(durationDays(start, end), 'day') : 'Three days if left empty'}
        />
      </div>
      <div className="grid-2">
        <SelectField label="Kind of trip" value={tripType} onChange={(e) => setTripType(oneOf(TRIP_TYPES, e.target.value) ?? 'leisure')} error={errors.trip_type}>
          {TRIP_TYPES.map((t) => (
            <option key={t} value={t}>
              {humanize(t)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Weather" value={climate} onChange={(e) => setClimate(oneOf(CLIMATES, e.target.value) ?? '')} error={errors.climate}>
          <option value="">Work it out from the place and month</option>
          {CLIMATES.map((c) => (
            <option key={c} value={c}>
              {humanize(c)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="grid-2">
        <SelectField label="Occasion" value={occasion} onChange={(e) => setOccasion(oneOf(OCCASIONS, e.target.value) ?? 'none')} error={errors.occasion}>
          {OCCASIONS.map((o) => (
            <option key={o} value={o}>
              {o === 'none' ? 'No special occasion' : humanize(o)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Budget per item (₹, optional)"
          type="number"
          min={0}
          inputMode="numeric"
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          error={errors['budget.amount'] ?? errors.budget}
          hint="Suggestions stay within it."
        />
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
            <TextField
              label={`Traveller ${i + 1} name`}
              value={t.name}
              onChange={(e) => setByHand((l) => l.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
              error={errors[`travelers[${chosenCount + i}].name`]}
            />
            <TextField
              label="Age"
              type="number"
              min={0}
              max={120}
              value={t.age}
              onChange={(e) => setByHand((l) => l.map((x, j) => (j === i ? { ...x, age: e.target.value } : x)))}
              error={errors[`travelers[${chosenCount + i}].age`]}
            />
            <SelectField
              label="Clothes for"
              value={t.gender}
              onChange={(e) => setByHand((l) => l.map((x, j) => (j === i ? { ...x, gender: e.target.value as ByHand['gender'] } : x)))}
              error={errors[`travelers[${chosenCount + i}].gender`]}
            >
              <option value="">Any</option>
              {GENDERS.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </SelectField>
          </div>
        ))}
        <Button variant="ghost" size="sm" onClick={() => setByHand((l) => [...l, { name: '', age: '', gender: '' }])}>
          + Add someone by hand
        </Button>
        {errors.travelers ? (
          <p className="field-error" role="alert">
            {errors.travelers}
          </p>
        ) : null}
      </fieldset>
      <Button type="submit" busy={create.isPending}>
        Make packing lists
      </Button>
    </form>
  );
}
