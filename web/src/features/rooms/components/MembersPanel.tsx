import { useNavigate } from 'react-router';
import { Avatar } from '@/components/ui/Avatar';
import { Button } from '@/components/ui/Button';
import { Modal } from '@/components/ui/Modal';
import { useToast } from '@/components/ui/Toast';
import { timeAgo } from '@/lib/format';
import { assignableRoles, roleRank, type RoomDetail } from '../api/get-room';
import { useRemoveMember } from '../api/remove-member';
import { useUpdateMemberRole } from '../api/update-member-role';
import { RoomSettings } from './RoomSettings';

export interface MembersPanelProps {
  room: RoomDetail;
  meId: string | undefined;
  open: boolean;
  onClose: () => void;
  onFollow?: (userId: string) => void;
  followingId?: string | null;
}

export function MembersPanel({ room, meId, open, onClose, onFollow, followingId }: MembersPanelProps) {
  const me = room.members.find((m) => m.user_id === meId);
  const myRole = room.my_role ?? me?.role;
  const myRank = roleRank(myRole);
  const roles = assignableRoles(myRole);
  const updateRole = useUpdateMemberRole(room.id);
  const remove = useRemoveMember(room.id);
  const toast = useToast();
  const navigate = useNavigate();
  const members = [...room.members].sort((a, b) => roleRank(b.role) - roleRank(a.role) || a.name.localeCompare(b.name));

  return (
    <Modal open={open} onClose={onClose} title={`Members of ${room.name}`} variant="drawer">
      <ul className="member-list">
        {members.map((m) => {
          const isMe = m.user_id === meId;
          const canManageThis = !isMe && myRank >= 2 && roleRank(m.role) < myRank;
          return (
            <li key={m.user_id} className="member-row">
              <Avatar name={m.name} src={m.avatar} size={40} online={!!m.is_online} decorative />
              <div className="member-text">
                <strong>
                  {m.name}
                  {isMe ? ' (you)' : ''}
                </strong>
                <span className="muted">{m.is_online ? 'online now' : m.last_seen ? `seen ${timeAgo(m.last_seen)}` : 'offline'}</span>
              </div>
              <div className="member-actions">
                {canManageThis && roles.length ? (
                  <label>
                    <span className="sr-only">Role of {m.name}</span>
                    <select
                      value={m.role}
                      disabled={updateRole.isPending}
                      onChange={(e) => {
                        const role = roles.find((r) => r === e.target.value);
                        if (!role) return;
                        updateRole.mutate(
                          { userId: m.user_id, role },
                          { onSuccess: () => toast.show(`${m.name} is now ${role}`, 'success'), onError: (err) => toast.error(err) },
                        );
                      }}
                    >
                      {[m.role, ...roles.filter((r) => r !== m.role)].map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : (
                  <span className={`role-badge role-${m.role}`}>{m.role}</span>
                )}
                {!isMe && onFollow ? (
                  <Button size="sm" variant={followingId === m.user_id ? 'primary' : 'ghost'} aria-pressed={followingId === m.user_id} onClick={() => onFollow(m.user_id)}>
                    {followingId === m.user_id ? 'Following' : 'Follow'}
                  </Button>
                ) : null}
                {canManageThis ? (
                  <Button
                    size="sm"
                    variant="danger"
                    onClick={() => {
                      if (!window.confirm(`Remove ${m.name} from ${room.name}?`)) return;
                      remove.mutate(m.user_id, { onSuccess: () => toast.show(`${m.name} was removed`), onError: (err) => toast.error(err) });
                    }}
                  >
                    Remove
                  </Button>
                ) : null}
                {isMe && m.role !== 'owner' ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => {
                      if (!window.confirm(`Leave ${room.name}?`)) return;
                      remove.mutate(m.user_id, { onSuccess: () => navigate('/rooms'), onError: (err) => toast.error(err) });
                    }}
                  >
                    Leave
                  </Button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      <RoomSettings room={room} meId={meId} myRole={myRole} onDone={onClose} />
    </Modal>
  );
}
