export { ActivityFeed, SecretMark, type PersonRef } from './components/ActivityFeed';
export { ProductSocial, useRecordView, likesOf } from './components/ProductSocial';
export { useActivities, hiddenFrom } from './api/list-activities';
