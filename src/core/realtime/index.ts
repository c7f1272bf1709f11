export {
  ChangeWatcher,
  scrub,
  type ChangeWatcherOptions,
  type ChangeWatcherStats,
} from './change-watcher.js';
export {
  connectSocketIo,
  type ChannelHandlers,
  type ChannelOptions,
  type ConnectChannel,
  type NotificationChannel,
} from './channel.js';
export { fetchSubscription, type SocketIoSubscription } from './subscription.js';
