import { Avatar } from '@/components/ui/Avatar';
import { countOf } from '@/lib/format';
import type { Member } from '../api/get-room';

/** The overlapping avatars in the room header, online members first. */
export function MemberStack({ members, onClick, max = 5 }: { members: Member[]; onClick?: () => void; max?: number }) {
  const sorted = [...members].sort((a, b) => Number(!!b.is_online) - Number(!!a.is_online));
  const shown = sorted.slice(0, max);
  const online = members.filter((m) => m.is_online).length;
  return (
    // Named by the hidden summary; the initials and dots are the picture of it,
    // hidden from the accessibility tree so the name is the summary alone.
    <button type="button" className="member-stack" onClick={onClick}>
      <span className="sr-only">{`${countOf(members.length, 'member')}, ${online} online. Show members`}</span>
      <span className="member-stack-faces" aria-hidden="true">
        {shown.map((m) => (
          <Avatar key={m.user_id} name={m.name} src={m.avatar} size={32} online={!!m.is_online} ring />
        ))}
        {members.length > max ? <span className="member-more">+{members.length - max}</span> : null}
      </span>
    </button>
  );
}
