/**
 * The main window's size and position, remembered in
 * `<userData>/window-state.json` and restored only when it still fits a
 * connected display (a monitor unplugged since must not hide the window).
 */
import path from 'node:path';
import { z } from 'zod';
import { readJson, writeJsonAtomic } from '../console/service/json-file';

const WindowState = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(400), height: z.number().int().min(300), maximized: z.boolean() });
export type WindowState = z.infer<typeof WindowState>;

export const DEFAULT_WINDOW = { width: 1400, height: 900 };

export interface DisplayArea {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function loadWindowState(userData: string, displays: ReadonlyArray<DisplayArea>): WindowState | null {
  const read = readJson(path.join(userData, 'window-state.json'));
  if (read.kind !== 'ok') return null;
  const parsed = WindowState.safeParse(read.value);
  if (!parsed.success) return null;
  const state = parsed.data;
  const visible = displays.some((area) => state.x < area.x + area.width && state.x + state.width > area.x && state.y < area.y + area.height && state.y + state.height > area.y);
  return visible ? state : null;
}

export function saveWindowState(userData: string, state: WindowState): void {
  writeJsonAtomic(path.join(userData, 'window-state.json'), state);
}
