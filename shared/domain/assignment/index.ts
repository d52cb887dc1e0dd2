export * from './assignmentConfig';
export * from './assignOwner';
export * from './leadSla';
export * from './sla';
export * from './workingHours';
