/**
 * The Electron main process, kept thin: it hosts the console service (plain
 * Node, main/console) and serves it to one hardened window over IPC.
 *
 * Window hardening: contextIsolation, sandbox, no nodeIntegration, webSecurity
 * on; a strict Content-Security-Policy header on every response; navigation
 * away from our page and window.open are denied; links to http(s) open in
 * the system browser after a scheme check, nothing else is opened. One
 * instance only (a second launch focuses the first). Embedded engines run in
 * worker threads (the main thread stays responsive) and are stopped before
 * quitting so their ports are released.
 */
import { app, BrowserWindow, dialog, ipcMain, screen, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConsoleService } from '../console/create-console-service';
import type { ConsoleService } from '../console/service-types';
import { registerIpc, trustedFrameMatcher } from '../transport/ipc-router';
import { RENDERER_CSP } from '../transport/web-server';
import { showAlertNotifications } from './alert-notifications';
import { rotatingFileLogger } from './file-logger';
import { installMenu } from './menu';
import { safeStorageSecrets } from './safe-storage-secrets';
import { DEFAULT_WINDOW, loadWindowState, saveWindowState } from './window-state';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '../renderer/index.html');
const devServerUrl = process.env.ELECTRON_RENDERER_URL ?? null;

let service: ConsoleService | null = null;
let window: BrowserWindow | null = null;

function isSafeExternal(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

function createWindow(): BrowserWindow {
  const userData = app.getPath('userData');
  const saved = loadWindowState(userData, screen.getAllDisplays().map((display) => display.workArea));
  const created = new BrowserWindow({
    ...(saved ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : DEFAULT_WINDOW),
    minWidth: 900,
    minHeight: 600,
    title: 'Replscope',
    show: false,
    webPreferences: {
      preload: path.join(here, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (saved?.maximized) created.maximize();
  created.once('ready-to-show', () => created.show());
  const trusted = trustedFrameMatcher(pathToFileURL(rendererIndex).href, devServerUrl);
  created.webContents.on('will-navigate', (event, url) => {
    if (!trusted(url)) event.preventDefault();
  });
  created.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  created.on('close', () => {
    const bounds = created.getBounds();
    saveWindowState(userData, { ...bounds, maximized: created.isMaximized() });
  });
  if (devServerUrl) void created.loadURL(devServerUrl);
  else void created.loadFile(rendererIndex);
  return created;
}

async function start(): Promise<void> {
  const logger = rotatingFileLogger(path.join(app.getPath('userData'), 'logs'), !app.isPackaged);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  installMenu(!app.isPackaged);
  service = await createConsoleService({
    dataDir: app.getPath('userData'),
    mode: 'electron',
    version: app.getVersion(),
    secretStore: safeStorageSecrets(),
    logger,
    demo: { autoStart: true },
    // incident.choose: the native dialog, modal to our window; the service reads and validates the file.
    chooseFile: async ({ title, extensions }) => {
      const options = { title, properties: ['openFile' as const], filters: [{ name: 'Incident bundle', extensions: [...extensions] }] };
      const chosen = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
    },
  });
  registerIpc({
    ipcMain,
    handler: service,
    isTrustedFrame: trustedFrameMatcher(pathToFileURL(rendererIndex).href, devServerUrl),
    targets: () => BrowserWindow.getAllWindows().map((open) => open.webContents),
  });
  showAlertNotifications(service, () => window);
  window = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.whenReady().then(start).catch((failure: unknown) => {
    process.stderr.write(`Replscope could not start: ${failure instanceof Error ? failure.stack : String(failure)}\n`);
    app.exit(1);
  });
  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !service) return;
    event.preventDefault();
    quitting = true;
    void service.close().finally(() => app.quit());
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && service) window = createWindow();
  });
}
