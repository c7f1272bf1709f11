export { startGraphSim, SIM_TOKEN } from './server.js';
export type { GraphSim, GraphSimOptions, RequestHook, SimRequestInfo } from './server.js';
export type { SimDrive, SimItemView, SimItemKind, AddOptions } from './drive.js';
export type { ContentSpec, SimContent } from './content.js';
export { makeContent } from './content.js';
export type { Faults, FaultMatch, ResyncCode, SimRoute } from './faults.js';
export type { Counters, RequestRecord } from './counters.js';
export type { NotificationHost, SimSubscription } from './notifications.js';
