export { SecretBanner } from './components/SecretBanner';
export { SecretModeToggle, SecretModeBanner } from './components/SecretModeControl';
export { useSecretMode, type SecretModeState } from './api/get-secret-mode';
