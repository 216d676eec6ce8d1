/**
 * Sentinel notices as redis-sentinel 7.0.15 publishes them (the messages
 * below were captured from a real failover of a three-Sentinel group), read
 * into what they are about; and which of them are failover steps.
 */
import { describe, expect, it } from 'vitest';
import { explainNotice, isFailoverStep, isOwnCommandNotice, parseSentinelNotice, shownNoticeText } from '../../main/console/monitor/sentinel-notice';

const at = (channel: string, text: string) => parseSentinelNotice('127.0.0.1:26379', channel, text, 1000);

describe('Sentinel notices', () => {
  it('a notice about a master names the group and the master', () => {
    expect(at('+odown', 'master mymaster 127.0.0.1 39873 #quorum 2/2')).toMatchObject({
      instanceType: 'master', instanceId: '127.0.0.1:39873', group: 'mymaster', masterId: '127.0.0.1:39873', detail: '#quorum 2/2',
    });
    expect(explainNotice(at('+odown', 'master mymaster 127.0.0.1 39873 #quorum 2/2'))).toContain('quorum 2/2');
  });

  it('a notice about a replica names it and its group\'s master after the @', () => {
    const notice = at('+selected-slave', 'slave 127.0.0.1:44927 127.0.0.1 44927 @ mymaster 127.0.0.1 39873');
    expect(notice).toMatchObject({ instanceType: 'slave', instanceId: '127.0.0.1:44927', group: 'mymaster', masterId: '127.0.0.1:39873', detail: '' });
    expect(isFailoverStep(notice.channel)).toBe(true);
    const role = at('-role-change', 'slave 127.0.0.1:44927 127.0.0.1 44927 @ mymaster 127.0.0.1 39873 new reported role is master');
    expect(role.detail).toBe('new reported role is master');
    expect(explainNotice(role)).toBeNull();
  });

  it('a notice about a Sentinel names it by address, not by run id', () => {
    expect(at('+sentinel', 'sentinel 56d0e7454a39762a202b23185afc543bcfcefc04 127.0.0.1 39365 @ mymaster 127.0.0.1 39873')).toMatchObject({
      instanceType: 'sentinel', instanceId: '127.0.0.1:39365', group: 'mymaster',
    });
  });

  it('+switch-master carries the old and the new master', () => {
    const notice = at('+switch-master', 'mymaster 127.0.0.1 39873 127.0.0.1 44927');
    expect(notice).toMatchObject({ group: 'mymaster', switchedFrom: '127.0.0.1:39873', switchedTo: '127.0.0.1:44927', instanceId: '127.0.0.1:44927' });
    expect(explainNotice(notice)).toBe('mymaster switched master: 127.0.0.1:39873 -> 127.0.0.1:44927');
    expect(isFailoverStep('+switch-master')).toBe(true);
  });

  it('+new-epoch and +vote-for-leader carry an epoch and no instance', () => {
    expect(at('+new-epoch', '1')).toMatchObject({ epoch: 1, instanceId: null, group: null });
    expect(at('+vote-for-leader', '56d0e7454a39762a202b23185afc543bcfcefc04 1')).toMatchObject({ epoch: 1, instanceId: null });
  });

  it('health notices are not failover steps; aborts and state changes are', () => {
    expect(isFailoverStep('+sdown')).toBe(false);
    expect(isFailoverStep('-odown')).toBe(false);
    expect(isFailoverStep('+failover-state-wait-promotion')).toBe(true);
    expect(isFailoverStep('-failover-abort-no-good-slave')).toBe(true);
    expect(explainNotice(at('-failover-abort-no-good-slave', 'master mymaster 127.0.0.1 39873'))).toBe('failover aborted: no good slave');
  });
  it('an operator\'s SENTINEL SET, RESET, MONITOR and REMOVE are explained, as that one Sentinel\'s', () => {
    expect(explainNotice(at('+set', 'master mymaster 127.0.0.1 39873 quorum 3'))).toMatch(/^mymaster: quorum set to 3 on this Sentinel only \(SENTINEL SET/);
    expect(explainNotice(at('+reset-master', 'master mymaster 127.0.0.1 39873'))).toMatch(/^mymaster reset on this Sentinel \(SENTINEL RESET\)/);
    expect(explainNotice(at('+monitor', 'master mymaster 127.0.0.1 39873 quorum 2'))).toBe('this Sentinel now monitors mymaster (SENTINEL MONITOR), quorum 2');
    expect(explainNotice(at('-monitor', 'master mymaster 127.0.0.1 39873'))).toMatch(/^this Sentinel no longer monitors mymaster \(SENTINEL REMOVE\)/);
    for (const channel of ['+set', '+reset-master', '+monitor', '-monitor']) {
      expect(isOwnCommandNotice(channel)).toBe(true);
      expect(isFailoverStep(channel)).toBe(false);
    }
    expect(isOwnCommandNotice('+sdown')).toBe(false);
  });

  it('a +set of auth-pass never shows the password, redacted by Sentinel (7.0.15) or not (older Sentinels published it)', () => {
    const redacted = at('+set', 'master mymaster 127.0.0.1 39873 auth-pass ******');
    const clear = at('+set', 'master mymaster 127.0.0.1 39873 auth-pass hunter2');
    for (const notice of [redacted, clear]) {
      expect(explainNotice(notice)).toMatch(/auth-pass changed \(value not shown\)/);
      expect(shownNoticeText(notice)).toBe('master mymaster 127.0.0.1 39873 auth-pass ******');
    }
    expect(shownNoticeText(at('+set', 'master mymaster 127.0.0.1 39873 quorum 3'))).toBe('master mymaster 127.0.0.1 39873 quorum 3');
  });

  it('+sentinel-address-switch names the Sentinel that moved by its run id and its new address', () => {
    const notice = at('+sentinel-address-switch', 'master mymaster 127.0.0.1 39873 ip 127.0.0.1 40001 for 07f7f64b514f24b1db9ecf69c9bf2ba25615a207'.replace('40001', 'port 40001'));
    expect(notice.detail).toBe('ip 127.0.0.1 port 40001 for 07f7f64b514f24b1db9ecf69c9bf2ba25615a207');
    expect(explainNotice(notice)).toMatch(/^mymaster: the Sentinel with run id 07f7f64b now announces 127\.0\.0\.1:40001 \(same myid, new address/);
    expect(isFailoverStep(notice.channel)).toBe(false);
  });
});
