import { LandingPage } from '@/features/auth';

export default LandingPage;
