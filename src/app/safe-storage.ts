/**
 * Electron's safeStorage as the two codecs the app needs: one for Settings secrets
 * (secrets.json), one for the MSAL token cache (tokens_path). On Linux without a keyring,
 * safeStorage falls back to a hard-coded key ('basic_text'): that is not encryption, so it
 * counts as unavailable and secrets must then come from the environment.
 */
import type { SafeStorage } from 'electron';
import type { TokenCodec } from '../core/auth/index.js';
import type { SecretCodec } from './settings/secrets.js';

export function keyringAvailable(safeStorage: SafeStorage, platform = process.platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

export function secretCodec(safeStorage: SafeStorage): SecretCodec {
  return {
    available: () => keyringAvailable(safeStorage),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}

/** Undefined without a keyring: the token file then relies on its 0600 mode, like the CLI's. */
export function tokenCodec(safeStorage: SafeStorage): TokenCodec | undefined {
  if (!keyringAvailable(safeStorage)) return undefined;
  return {
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}
