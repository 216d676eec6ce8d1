/**
 * Native OS notifications for alerts (Electron's Notification), the desktop
 * app's side of issue 18 part 2. The console service decides when: it pushes
 * `notify: true` once per alert, when it fires and no silence covers it (one
 * per rule and subject until it clears), so nothing here counts or dedupes.
 * A click brings the window forward. Notifications are kept referenced until
 * closed: one that is garbage-collected loses its click handler.
 */
import { Notification, type BrowserWindow } from 'electron';
import type { PushMessage } from '../../shared/contract/api';
import type { ConsoleService } from '../console/service-types';

type AlertPush = Extract<PushMessage, { type: 'alert' }>;

/** The notification's text: the rule's headline and what it is about, then the sentence the service wrote. */
export function alertNotificationText(push: AlertPush): { title: string; body: string; urgency: 'normal' | 'critical' } {
  const { alert } = push;
  return { title: `${alert.title}: ${alert.subject}`, body: alert.message, urgency: alert.severity === 'critical' ? 'critical' : 'normal' };
}

export function showAlertNotifications(service: ConsoleService, windowOf: () => BrowserWindow | null): () => void {
  const shown = new Set<Notification>();
  return service.onPush((message) => {
    if (message.type !== 'alert' || !message.notify || !Notification.isSupported()) return;
    const notification = new Notification(alertNotificationText(message));
    shown.add(notification);
    notification.on('close', () => shown.delete(notification));
    notification.on('click', () => {
      shown.delete(notification);
      const window = windowOf();
      if (!window) return;
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    });
    notification.show();
  });
}
