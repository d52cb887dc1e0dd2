export * from './emailKey';
export * from './erasure';
export * from './privacyPolicy';
