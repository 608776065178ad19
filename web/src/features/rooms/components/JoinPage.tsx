import { useEffect, useRef } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { isApiError } from '@/lib/api-client';
import { pendingJoin, useSignedIn } from '@/lib/session';
import { useJoinRoom } from '../api/join-room';

/** /join/:code — joins at once when signed in; otherwise remembers the code across sign-in. */
export function JoinPage() {
  const { code = '' } = useParams();
  const signedIn = useSignedIn();
  const join = useJoinRoom();
  const navigate = useNavigate();
  const started = useRef(false);

  useEffect(() => {
    if (!signedIn || !code || started.current) return;
    started.current = true;
    pendingJoin.take();
    join.mutate(code, { onSuccess: (answer) => navigate(`/rooms/${answer.room.id}`, { replace: true }) });
  }, [signedIn, code, join, navigate]);

  if (!signedIn) {
    pendingJoin.set(code);
    return <Navigate to={`/sign-in?next=${encodeURIComponent(`/join/${code}`)}`} replace />;
  }
  if (join.isError) {
    const err = join.error;
    const conflict = isApiError(err) && err.status === 409;
    return (
      <main className="page narrow">
        <EmptyState
          icon={conflict ? '🏠' : '🔗'}
          title={conflict ? 'You are already in this room' : 'This invite did not work'}
          action={
            <div className="row">
              <Link className="btn btn-primary" to="/rooms">
                Your rooms
              </Link>
              {!conflict ? (
                <Button
                  variant="secondary"
                  onClick={() => join.mutate(code, { onSuccess: (a) => navigate(`/rooms/${a.room.id}`, { replace: true }) })}
                >
                  Try again
                </Button>
              ) : null}
            </div>
          }
        >
          {conflict ? 'Open it from your rooms.' : isApiError(err) && err.status === 404 ? 'The code may have been replaced. Ask for a new link.' : (err as Error).message}
        </EmptyState>
      </main>
    );
  }
  return (
    <main className="page narrow" aria-busy="true">
      <EmptyState icon="⏳" title="Joining the room…" />
    </main>
  );
}
