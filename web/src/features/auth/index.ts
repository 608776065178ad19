export { LandingPage } from './components/LandingPage';
export { SignInPage, SignUpPage, SignInForm } from './components/AuthForms';
export { ProfilePage } from './components/ProfilePage';
export { SessionExpiredDialog } from './components/SessionExpiredDialog';
export { useMe, type User } from './api/get-me';
export { useLogout } from './api/logout';
