export * from './assignmentConfig';
export * from './assignOwner';
export * from './sla';
export * from './workingHours';
export * from './leadSla';
