import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { fieldErrors, SelectField, TextField } from '@/components/ui/Field';
import { SkeletonList } from '@/components/ui/Skeleton';
import { useToast } from '@/components/ui/Toast';
import { isApiError } from '@/lib/api-client';
import { timeAgo } from '@/lib/format';
import { useCreateRoom } from '../api/create-room';
import { useJoinRoom } from '../api/join-room';
import { useRooms } from '../api/list-rooms';

export function RoomsPage() {
  const rooms = useRooms();
  return (
    <main className="page">
      <div className="page-head">
        <h1>Your family rooms</h1>
      </div>
      <div className="rooms-layout">
        <section aria-labelledby="rooms-list-title">
          <h2 id="rooms-list-title" className="sr-only">
            Rooms
          </h2>
          {rooms.isPending ? (
            <SkeletonList rows={3} label="Loading rooms" />
          ) : rooms.isError ? (
            <EmptyState icon="⚠️" title="Could not load your rooms" action={<Button onClick={() => void rooms.refetch()}>Try again</Button>} />
          ) : rooms.data.length === 0 ? (
            <EmptyState icon="🏠" title="No rooms yet">
              Create a room for your family, or join one with an invite code.
            </EmptyState>
          ) : (
            <ul className="room-list">
              {rooms.data.map((room) => (
                <li key={room.id}>
                  <Link to={`/rooms/${room.id}`} className="card room-tile">
                    <span className="room-tile-icon" aria-hidden="true">
                      🏠
                    </span>
                    <span className="room-tile-text">
                      <strong>{room.name}</strong>
                      <span className="muted">
                        {room.visibility === 'public' ? 'Public' : 'Private'}
                        {` · ${room.member_count} ${room.member_count === 1 ? 'member' : 'members'} · you are ${room.my_role}`}
                        {room.created_at ? ` · created ${timeAgo(room.created_at)}` : ''}
                      </span>
                    </span>
                    <span aria-hidden="true">→</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <aside className="stack">
          <CreateRoomCard />
          <JoinByCodeCard />
        </aside>
      </div>
    </main>
  );
}

function CreateRoomCard() {
  const create = useCreateRoom();
  const navigate = useNavigate();
  const toast = useToast();
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<'private' | 'public'>('private');
  const errors = fieldErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), visibility },
      {
        onSuccess: (room) => navigate(`/rooms/${room.id}`),
        onError: (err) => {
          if (!isApiError(err) || err.errors.length === 0) toast.error(err, 'Could not create the room');
        },
      },
    );
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="create-room-title" noValidate>
      <h2 id="create-room-title">Create a room</h2>
      <TextField label="Room name" placeholder="The Sharmas" required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <SelectField label="Who can find it" value={visibility} onChange={(e) => setVisibility(e.target.value as 'private' | 'public')} error={errors.visibility}>
        <option value="private">Private: invite only</option>
        <option value="public">Public</option>
      </SelectField>
      <Button type="submit" busy={create.isPending}>
        Create room
      </Button>
    </form>
  );
}

function JoinByCodeCard() {
  const join = useJoinRoom();
  const navigate = useNavigate();
  const toast = useToast();
  const [code, setCode] = useState('');
  const errors = fieldErrors(join.error);
  const err = join.error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    join.mutate(code, {
      onSuccess: (answer) => navigate(`/rooms/${answer.room.id}`),
      onError: (error) => {
        if (!isApiError(error) || (error.errors.length === 0 && error.status !== 404)) toast.error(error, 'Could not join');
      },
    });
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="join-room-title" noValidate>
      <h2 id="join-room-title">Join with a code</h2>
      <TextField
        label="Invite code or link"
        required
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={errors.invite_code ?? (isApiError(err) && err.status === 404 ? 'This invite code does not work. Ask for a new link.' : undefined)}
      />
      <Button type="submit" variant="secondary" busy={join.isPending} disabled={!code.trim()}>
        Join room
      </Button>
    </form>
  );
}
