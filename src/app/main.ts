/**
 * The Electron entry: builds everything and wires it, nothing else (composition at the edge).
 * Single instance; pages from app://cloud-sync; one IPC gate; the engine from compose.ts.
 */
import { app, ipcMain, protocol, safeStorage, shell, Tray } from 'electron';
import log from 'electron-log/main';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfigFile } from '../core/config/index.js';
import { createLogger, type ElectronLogLike } from '../core/log/logger.js';
import { APP_HOST, APP_SCHEME, serveAppFile } from './app-protocol.js';
import { xdgAutostart, type LoginItem } from './autostart.js';
import { engineHostFactory } from './compose.js';
import { AppController } from './controller.js';
import { ElectronShell } from './electron-shell.js';
import { installIpcGate, trustWindows } from './ipc/gate.js';
import { secretCodec, tokenCodec } from './safe-storage.js';
import { SECRETS_FILE_NAME, SecretStore } from './settings/secrets.js';
import { SettingsService } from './settings/settings-service.js';
import { hardenWebContents, MainWindow } from './window.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/app
const RENDERER_ROOT = join(here, '..', 'renderer'); // dist/renderer (its renderer/ and src/shared/)
const PRELOAD = join(here, '..', 'preload', 'preload.cjs');
const ICONS = join(RENDERER_ROOT, 'renderer', 'assets', 'tray');
/** How long quitting waits for transfers in flight to checkpoint. */
const QUIT_GRACE_MS = 10_000;

// Must happen before `ready`: app:// gets a real, secure origin for ES modules and the gate.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, codeCache: true } },
]);

function loginItem(): LoginItem {
  if (process.platform === 'linux')
    return xdgAutostart({
      configHome: process.env.XDG_CONFIG_HOME,
      exec: process.env.APPIMAGE ?? process.execPath,
    });
  return {
    get: () => app.getLoginItemSettings().openAtLogin,
    set: (on) => app.setLoginItemSettings({ openAtLogin: on }),
  };
}

async function start(): Promise<void> {
  const logFile = join(app.getPath('logs'), 'cloud-sync.log');
  const logger = createLogger(log as unknown as ElectronLogLike, { logPath: logFile });
  log.errorHandler.startCatching({ showDialog: false });
  hardenWebContents(app, logger);

  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const r = await serveAppFile(request.method, url.pathname, RENDERER_ROOT);
    return new Response(r.body, { status: r.status, headers: r.headers });
  });

  // Config: CONFIG_PATH / CONFIG_DIR when set (the original tool's variable), else userData.
  const configFile = resolveConfigFile({ env: process.env, fallbackDir: app.getPath('userData') });
  const secrets = new SecretStore(
    join(dirname(configFile), SECRETS_FILE_NAME),
    secretCodec(safeStorage),
  );
  const settings = new SettingsService(configFile, secrets, process.env);
  logger.info(`cloud-sync ${app.getVersion()} starting; config ${configFile}`);

  const window = new MainWindow({ preload: PRELOAD, icon: join(ICONS, '..', 'icon.png') });
  const tray = new Tray(join(ICONS, 'ok.png'));
  const shellPort = new ElectronShell({
    tray,
    window,
    iconDir: ICONS,
    loginItem: loginItem(),
    logger,
    // Menu clicks only happen once the tray is drawn, i.e. after `running` below exists.
    onMenu: (action) => void running.menu(action),
  });
  const running: AppController = new AppController({
    shell: shellPort,
    openHost: engineHostFactory({
      env: () => settings.engineEnv(),
      logger,
      tokenCodec: tokenCodec(safeStorage),
      openBrowser: (url) => shell.openExternal(url),
    }),
    settings,
    configFile,
    logFolder: dirname(logFile),
    logger,
    now: () => Date.now(),
    graceMs: QUIT_GRACE_MS,
  });

  installIpcGate(
    {
      handle: (channel, listener) =>
        ipcMain.handle(channel, (event, payload: unknown) =>
          listener({ id: event.sender.id, url: event.senderFrame?.url }, payload),
        ),
      removeHandler: (channel) => ipcMain.removeHandler(channel),
    },
    running.handlers(),
    { trusted: trustWindows(() => window.ids()), logger },
  );

  app.on('second-instance', () => shellPort.showWindow('dashboard'));
  // Windows users expect a left click on the tray icon to open the window (the menu is on the right).
  if (process.platform === 'win32') tray.on('click', () => shellPort.showWindow('dashboard'));
  // A tray app: closing the window does not quit.
  app.on('window-all-closed', () => undefined);
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void running.shutdown().finally(() => app.exit(0));
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  await running.start();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('cloud-sync could not start', error);
      app.exit(1);
    });
}
