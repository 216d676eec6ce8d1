/**
 * Profile secrets at rest through Electron's safeStorage (the OS keychain /
 * DPAPI / libsecret). When the OS offers no encryption, secrets stay in
 * memory only and the UI says so (never written in clear).
 */
import { safeStorage } from 'electron';
import type { SecretStore } from '../console/service-types';

export function safeStorageSecrets(): SecretStore {
  const available = safeStorage.isEncryptionAvailable();
  return {
    kind: available ? 'os-keychain' : 'memory-only',
    available,
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
  };
}
