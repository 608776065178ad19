import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/Button';
import { fieldErrors, SelectField, TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { isApiError } from '@/lib/api-client';
import { useDeleteRoom } from '../api/delete-room';
import { permissions, type RoomDetail } from '../api/get-room';
import { useRenameRoom } from '../api/rename-room';
import { useTransferOwnership } from '../api/transfer-ownership';

/** Rename (admins), hand on ownership and delete (the owner). */
export function RoomSettings({ room, meId, myRole, onDone }: { room: RoomDetail; meId: string | undefined; myRole: string | undefined; onDone: () => void }) {
  const { canManage, isOwner } = permissions(myRole);
  const rename = useRenameRoom(room.id);
  const transfer = useTransferOwnership(room.id);
  const remove = useDeleteRoom(room.id);
  const toast = useToast();
  const navigate = useNavigate();
  const [name, setName] = useState(room.name);
  const [heir, setHeir] = useState('');
  const errors = fieldErrors(rename.error);
  if (!canManage) return null;

  const submitName = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate(name.trim(), {
      onSuccess: () => toast.show('Room renamed', 'success'),
      onError: (err) => {
        if (!isApiError(err) || err.errors.length === 0) toast.error(err);
      },
    });
  };
  const others = room.members.filter((m) => m.user_id !== meId);

  return (
    <section className="room-settings stack" aria-labelledby="room-settings-title">
      <h3 id="room-settings-title" className="h-small">
        Room settings
      </h3>
      <form className="row wrap align-end" onSubmit={submitName}>
        <TextField label="Room name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <Button type="submit" variant="secondary" size="sm" busy={rename.isPending} disabled={!name.trim() || name.trim() === room.name}>
          Rename
        </Button>
      </form>
      {isOwner && others.length ? (
        <div className="row wrap align-end">
          <SelectField label="Hand ownership to" value={heir} onChange={(e) => setHeir(e.target.value)}>
            <option value="">Choose a member</option>
            {others.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.name}
              </option>
            ))}
          </SelectField>
          <Button
            variant="secondary"
            size="sm"
            disabled={!heir}
            busy={transfer.isPending}
            onClick={() => {
              const who = others.find((m) => m.user_id === heir)?.name ?? 'them';
              if (!window.confirm(`Make ${who} the owner? You will become an admin.`)) return;
              transfer.mutate(heir, { onSuccess: () => toast.show(`${who} now owns the room`, 'success'), onError: (e) => toast.error(e) });
            }}
          >
            Hand over
          </Button>
        </div>
      ) : null}
      {isOwner ? (
        <Button
          variant="danger"
          size="sm"
          busy={remove.isPending}
          onClick={() => {
            if (!window.confirm(`Delete ${room.name} with its activity, cart and trips? This cannot be undone.`)) return;
            remove.mutate(undefined, {
              onSuccess: () => {
                onDone();
                navigate('/rooms', { replace: true });
              },
              onError: (e) => toast.error(e),
            });
          }}
        >
          Delete room
        </Button>
      ) : null}
    </section>
  );
}
