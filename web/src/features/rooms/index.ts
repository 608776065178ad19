export { RoomsPage } from './components/RoomsPage';
export { JoinPage } from './components/JoinPage';
export { InviteButton } from './components/InviteButton';
export { MemberStack } from './components/MemberStack';
export { MembersPanel } from './components/MembersPanel';
export { useRoom, permissions, type Member, type RoomDetail } from './api/get-room';
