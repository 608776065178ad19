export { TripPlanner } from './components/TripPlanner';
