/** The contract between main and renderer: schemas, inferred types, channel names. */
export * from './envelope';
export * from './profiles';
export * from './snapshots';
export * from './events';
export * from './engine-events';
export * from './actions';
export * from './alerts';
export * from './demo';
export * from './settings';
export * from './sessions';
export * from './api';
export * from './bridge';
export * from './web-protocol';
export * from './series';
export * from './node-facts';
export * from './fleet';
export * from './history-archive';
