import { SignInPage } from '@/features/auth';

export default SignInPage;
