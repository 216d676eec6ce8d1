/** Which view is on screen and what is selected in it (no router: a handful of views and one selection). */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const VIEWS = ['topology', 'events', 'demo', 'connections', 'settings', 'sentinels', 'fleet'] as const;
export type ViewName = (typeof VIEWS)[number];

export type Selection = { readonly kind: 'node'; readonly id: string } | { readonly kind: 'link'; readonly id: string } | null;

export const DETAIL_TABS = ['overview', 'charts', 'backlog', 'sync', 'controls', 'facts', 'tap'] as const;
export type DetailTab = (typeof DETAIL_TABS)[number];

export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewName>('topology');
  const selection = ref<Selection>(null);
  const detailTab = ref<DetailTab>('overview');
  /** Set once the user (or a click that opens something) picks a view; the boot's landing choice then yields. */
  let viewChosen = false;

  function go(next: ViewName): void {
    viewChosen = true;
    view.value = next;
  }

  /** The view to land on once the first state is loaded, unless the user already went somewhere while it loaded. */
  function land(next: ViewName): void {
    if (!viewChosen) view.value = next;
  }

  function select(next: Selection): void {
    selection.value = next;
  }

  /** Open a node or link in the topology view, on a given tab. */
  function inspect(next: Exclude<Selection, null>, tab: DetailTab = detailTab.value): void {
    selection.value = next;
    detailTab.value = tab;
    viewChosen = true;
    view.value = 'topology';
  }

  return { view, selection, detailTab, go, land, select, inspect };
});
