/**
 * "Start at login". macOS and Windows have it built into Electron (login items); Linux
 * desktops follow the XDG autostart spec: a .desktop file in ~/.config/autostart.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface LoginItem {
  get(): boolean;
  set(on: boolean): void;
}

export interface XdgAutostartOptions {
  /** XDG_CONFIG_HOME, else ~/.config. */
  configHome?: string | undefined;
  /** The command that starts the app (the AppImage when run from one, else the executable). */
  exec: string;
  name?: string;
}

/** Quotes a path for a desktop entry's Exec key (the spec's rules for reserved characters). */
export function desktopExec(path: string): string {
  return /[\s"'\\`$]/.test(path) ? `"${path.replace(/(["`$\\])/g, '\\$1')}"` : path;
}

export function xdgAutostart(options: XdgAutostartOptions): LoginItem & { file: string } {
  const dir = join(options.configHome || join(homedir(), '.config'), 'autostart');
  const file = join(dir, 'cloud-sync.desktop');
  return {
    file,
    get: () => existsSync(file),
    set(on) {
      if (!on) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        file,
        [
          '[Desktop Entry]',
          'Type=Application',
          `Name=${options.name ?? 'cloud-sync'}`,
          'Comment=Back up OneDrive into an S3 bucket',
          `Exec=${desktopExec(options.exec)}`,
          'Terminal=false',
          'X-GNOME-Autostart-enabled=true',
          '',
        ].join('\n'),
      );
    },
  };
}
