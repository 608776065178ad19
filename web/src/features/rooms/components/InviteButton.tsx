import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Modal } from '@/components/ui/Modal';
import { useToast } from '@/components/ui/Toast';
import { inviteLink, useRotateInviteCode } from '../api/rotate-invite-code';
import { permissions, type RoomDetail } from '../api/get-room';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function InviteButton({ room, myRole }: { room: RoomDetail; myRole: string | undefined }) {
  const [open, setOpen] = useState(false);
  const rotate = useRotateInviteCode(room.id);
  const toast = useToast();
  const { canManage } = permissions(myRole);
  const code = room.invite_code ?? null;
  const link = code ? inviteLink(code) : '';

  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
        <span aria-hidden="true">+</span> Invite
      </Button>
      <Modal open={open} onClose={() => setOpen(false)} title="Invite your family">
        {code ? (
          <div className="stack">
            <p className="muted">Anyone with this link can join the room after signing in.</p>
            <div className="copy-row">
              <label htmlFor="invite-link" className="sr-only">
                Invite link
              </label>
              <input id="invite-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
              <Button
                onClick={async () => {
                  const ok = await copyText(link);
                  toast.show(ok ? 'Invite link copied' : 'Select the link and copy it', ok ? 'success' : 'info');
                }}
              >
                Copy link
              </Button>
            </div>
            <p>
              Code: <code className="invite-code">{code}</code>
            </p>
            <p className="muted small">
              Used {room.invite_uses} {room.invite_uses === 1 ? 'time' : 'times'}
              {room.invite_max_uses ? ` of ${room.invite_max_uses}` : ''}
              {room.invite_expires_at ? ` · works until ${new Date(room.invite_expires_at).toLocaleString()}` : ''}
            </p>
            {typeof navigator.share === 'function' ? (
              <Button variant="ghost" onClick={() => void navigator.share({ title: `Join ${room.name} on Family Room`, url: link }).catch(() => {})}>
                Share…
              </Button>
            ) : null}
          </div>
        ) : (
          <p className="muted">Only admins can see the invite code. Ask an admin of this room for the link.</p>
        )}
        {canManage ? (
          <div className="modal-foot">
            <Button
              variant="ghost"
              size="sm"
              busy={rotate.isPending}
              onClick={() =>
                rotate.mutate({}, {
                  onSuccess: () => toast.show('New invite code made; the old link no longer works', 'success'),
                  onError: (e) => toast.error(e),
                })
              }
            >
              Make a new code
            </Button>
          </div>
        ) : null}
      </Modal>
    </>
  );
}
