/**
 * Global keyboard shortcuts: Alt+1..9 switch views (in the sidebar's order); "/" focuses the element
 * marked data-shortcut="search" in the current view. Ignored while typing
 * in a field or while a modal dialog is open.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import { VIEWS, type ViewName } from '../stores/navigation';

function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(go: (view: ViewName) => void): void {
  function onKeydown(event: KeyboardEvent): void {
    if (document.querySelector('dialog[open]') !== null) return;
    if (event.altKey && !event.ctrlKey && !event.metaKey && /^Digit[1-9]$/.test(event.code)) {
      const view = VIEWS[Number(event.code.slice(5)) - 1];
      if (view !== undefined) {
        event.preventDefault();
        go(view);
      }
      return;
    }
    if (event.key === '/' && !event.altKey && !event.ctrlKey && !event.metaKey && !typingTarget(event.target)) {
      const search = document.querySelector<HTMLElement>('[data-shortcut="search"]');
      if (search !== null) {
        event.preventDefault();
        search.focus();
      }
    }
  }
  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}
