import { ProfilePage } from '@/features/auth';

export default ProfilePage;
