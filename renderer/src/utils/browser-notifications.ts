/**
 * The browser's Notification API, for web mode only: the desktop app shows
 * native notifications from the main process (Electron's Notification), so
 * the page must not show a second one there.
 *
 * Permission is asked only from a click (browsers ignore or penalise a
 * request made without a user gesture); until it is granted nothing is shown
 * outside the page and the bell alone tells.
 */
export type BrowserNotificationState = 'unsupported' | 'default' | 'granted' | 'denied';

export function browserNotificationState(): BrowserNotificationState {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission;
}

export async function askBrowserNotificationPermission(): Promise<BrowserNotificationState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

/** Shows one notification when granted; `tag` makes a repeat replace it instead of stacking. */
export function showBrowserNotification(title: string, body: string, tag: string, onClick: () => void): boolean {
  if (browserNotificationState() !== 'granted') return false;
  const shown = new Notification(title, { body, tag });
  shown.onclick = () => {
    window.focus();
    onClick();
    shown.close();
  };
  return true;
}
