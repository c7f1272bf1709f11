export { ChangeWatcher } from './change-watcher.js';
export type { ChangeWatcherOptions, ChangeWatcherStats } from './options.js';
export {
  connectSocketIo,
  scrub,
  type ChannelHandlers,
  type ChannelOptions,
  type ConnectChannel,
  type NotificationChannel,
} from './channel.js';
export { Debouncer, backoffMs } from './debounce.js';
export { fetchSubscription, type SocketIoSubscription } from './subscription.js';
