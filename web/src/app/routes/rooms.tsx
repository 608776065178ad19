import { RoomsPage } from '@/features/rooms';

export default RoomsPage;
