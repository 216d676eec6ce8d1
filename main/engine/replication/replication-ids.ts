/**
 * Replication IDs (PSYNC2). `replid` names the current history, `replid2`
 * the previous one, valid only for offsets up to `secondReplOffset`
 * (inclusive of the byte a replica would ask for next). "Cleared" is forty
 * '0' characters and -1.
 */
import { randomBytes } from 'node:crypto';

export const CONFIG_RUN_ID_SIZE = 40;
export const CLEARED_REPLID = '0'.repeat(CONFIG_RUN_ID_SIZE);

export function randomReplid(): string {
  return randomBytes(CONFIG_RUN_ID_SIZE / 2).toString('hex');
}

export class ReplicationIds {
  replid = randomReplid();
  replid2 = CLEARED_REPLID;
  secondReplOffset = -1;

  /** changeReplicationId(): a brand-new history. */
  change(): void {
    this.replid = randomReplid();
  }

  /** clearReplicationId2(). */
  clearSecond(): void {
    this.replid2 = CLEARED_REPLID;
    this.secondReplOffset = -1;
  }

  /**
   * shiftReplicationId() on promotion: the old id stays valid up to the next
   * byte a replica that has everything would ask for. Example: with offset 50,
   * a replica holding all 50 bytes asks PSYNC <old> 51, which must be
   * accepted, hence masterReplOffset + 1.
   */
  shift(masterReplOffset: number): void {
    this.replid2 = this.replid;
    this.secondReplOffset = masterReplOffset + 1;
    this.change();
  }

  /** Adopts a new id from the master (+CONTINUE <new id>), keeping ours as replid2. */
  adoptFromMaster(newReplid: string, masterReplOffset: number): void {
    this.replid2 = this.replid;
    this.secondReplOffset = masterReplOffset + 1;
    this.replid = newReplid;
  }
}
