import { JoinPage } from '@/features/rooms';

export default JoinPage;
