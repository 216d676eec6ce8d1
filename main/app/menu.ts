/**
 * The application menu: the platform's usual roles (copy/paste, reload in
 * development only, zoom, full screen, window), plus Help links opened in
 * the system browser.
 */
import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';

export function installMenu(isDevelopment: boolean): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(isDevelopment ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Redis replication documentation', click: () => void shell.openExternal('https://redis.io/docs/latest/operate/oss_and_stack/management/replication/') },
        { label: `About ${app.getName()} ${app.getVersion()}`, click: () => app.showAboutPanel() },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
