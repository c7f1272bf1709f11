import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { desktopExec, xdgAutostart } from '../../src/app/autostart.js';
import { tempDir } from '../helpers/tmp.js';

it('turns start-at-login on and off on Linux with an XDG autostart entry', () => {
  const home = tempDir('xdg');
  const item = xdgAutostart({ configHome: home, exec: '/opt/Cloud Sync/cloud-sync.AppImage' });
  assert.equal(item.get(), false);
  item.set(true);
  assert.equal(item.get(), true);
  const text = readFileSync(item.file, 'utf8');
  assert.match(text, /^\[Desktop Entry\]\nType=Application\n/);
  assert.match(text, /\nExec="\/opt\/Cloud Sync\/cloud-sync\.AppImage"\n/);
  item.set(false);
  assert.equal(item.get(), false);
  item.set(false);
});

it('quotes only executables whose paths need it', () => {
  assert.equal(desktopExec('/usr/bin/cloud-sync'), '/usr/bin/cloud-sync');
  assert.equal(desktopExec('/a b/$x'), '"/a b/\\$x"');
});
