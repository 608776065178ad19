import { useState } from 'react';

export interface PersonOption {
  user_id: string;
  name: string;
}

/** Whom a line is for: a member (by id), a name typed by hand, or nobody in particular. */
export function BuyingForSelect({ value, onChange, members, meId }: { value: string; onChange: (v: string) => void; members: PersonOption[]; meId: string | undefined }) {
  const known = value === '' || members.some((m) => m.user_id === value);
  const [custom, setCustom] = useState(!known);
  return (
    <span className="buying-for">
      <label>
        <span className="sr-only">Buying for</span>
        <select
          value={custom ? '__other' : value}
          onChange={(e) => {
            if (e.target.value === '__other') {
              setCustom(true);
              onChange('');
            } else {
              setCustom(false);
              onChange(e.target.value);
            }
          }}
        >
          <option value="">For: anyone</option>
          {members.map((m) => (
            <option key={m.user_id} value={m.user_id}>
              For: {m.user_id === meId ? 'me' : m.name}
            </option>
          ))}
          <option value="__other">For: someone else…</option>
        </select>
      </label>
      {custom ? (
        <label>
          <span className="sr-only">Name of the person it is for</span>
          <input placeholder="Name" value={value} maxLength={80} onChange={(e) => onChange(e.target.value)} />
        </label>
      ) : null}
    </span>
  );
}
