import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { DemoStatus, LoadSpec } from '../../api/contract';
import { useDemoStore } from '../../stores/demo';
import LoadControls from './LoadControls.vue';

beforeEach(() => {
  setActivePinia(createPinia());
});

const LOAD: LoadSpec = { running: true, opsPerSec: 1000, valueBytes: 256, keySpace: 10_000, mix: { string: 60, list: 10, hash: 15, set: 10, zset: 5, script: 0, stream: 0 } };

/** A status push as main sends it every second: a new object each time, parsed from the wire. */
function push(load: LoadSpec, loadOpsPerSec: number, streamRateBytesPerSec: number | null = null, demoRunning = true): void {
  const status: DemoStatus = { running: demoRunning, sessionId: 'demo', spec: null, nodes: [], load, loadOpsPerSec, loadRefusedPerSec: 0, loadErrors: 0, loadLastError: null, loadTargetId: null, loadPausedReason: null, activeFaults: [], streamRateBytesPerSec, streamRateNodeId: streamRateBytesPerSec === null ? null : '127.0.0.1:6379' };
  useDemoStore().receive(JSON.parse(JSON.stringify(status)) as DemoStatus);
}

describe('LoadControls', () => {
  it('keeps what the user is typing across the status pushed every second, and takes the generator\'s settings when they change', async () => {
    push(LOAD, 990);
    const form = mount(LoadControls);
    await nextTick();
    const rate = form.get<HTMLInputElement>('[data-testid="load-rate"]');
    expect(rate.element.value).toBe('1000');

    await rate.setValue('-5');
    expect(form.get('[data-testid="load-problem"]').text()).toBe('Writes per second: a number from 1 to 200,000.');
    // The next pushes carry the same settings (and a new measured rate): the draft stays, and so does its problem.
    push(LOAD, 1004);
    await nextTick();
    push(LOAD, 998);
    await nextTick();
    expect(rate.element.value).toBe('-5');
    expect(form.get('[data-testid="load-problem"]').text()).toBe('Writes per second: a number from 1 to 200,000.');
    expect(form.get('[data-testid="load-running"]').text()).toContain('998 ops/s');

    // The generator's settings changed (Apply here or in another window): the form shows them.
    push({ ...LOAD, opsPerSec: 2500 }, 1001);
    await nextTick();
    expect(rate.element.value).toBe('2500');
    expect(form.find('[data-testid="load-problem"]').exists()).toBe(false);
  });

  it('labels the settings\' figure as an estimate and shows the stream rate measured from the master\'s offsets beside it', async () => {
    const load = { ...LOAD, opsPerSec: 300, valueBytes: 100 };
    push(load, 300);
    const form = mount(LoadControls);
    await nextTick();
    expect(form.get('[data-testid="stream-estimate"]').text()).toContain('Estimate from these settings: ≈ 41 KiB/s');
    expect(form.find('[data-testid="stream-measured"]').exists()).toBe(false);
    push(load, 300, 37 * 1024);
    await nextTick();
    expect(form.get('[data-testid="stream-measured"]').text()).toBe('Measured: 37 KiB/s of replication stream (Δ master_repl_offset of 127.0.0.1:6379 between polls).');
  });

  it('with the demo stopped, says the load is idle and writes when the demo starts, not a running rate', async () => {
    push(LOAD, 0, null, false);
    const form = mount(LoadControls);
    await nextTick();
    expect(form.find('[data-testid="load-running"]').exists()).toBe(false);
    expect(form.get('[data-testid="load-idle"]').text()).toBe('idle · writes when the demo starts');
    expect(form.get('[data-testid="load-stop"]').attributes('disabled')).toBeDefined();
  });
});
