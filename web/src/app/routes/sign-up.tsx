import { SignUpPage } from '@/features/auth';

export default SignUpPage;
