/**
 * A command's latency distribution, as Redis 7.0 keeps one per command for
 * LATENCY HISTOGRAM and INFO latencystats: an HDR histogram of durations in
 * nanoseconds from 1 ns to 1 s with 2 significant digits (values outside
 * are clamped), and Redis's two ways of reading it back.
 *
 * Layout (HdrHistogram with these parameters): 256 sub-buckets per bucket,
 * the lower half of every bucket after the first overlapping the previous
 * one, so 24 buckets x 128 counters = 3072 counters cover 1 ns .. 1.07 s.
 * A value v falls in bucket b = floor(log2(v | 255)) - 7 and sub-bucket
 * v >> b; every value of that slot is "equivalent" (a range of 2^b ns).
 *
 * Redis measures durations in whole microseconds, so samples are recorded
 * as multiples of 1000 ns, exactly as it records them.
 */

const HALF_COUNT_MAGNITUDE = 7;
const HALF_COUNT = 1 << HALF_COUNT_MAGNITUDE;
const SUB_BUCKET_COUNT = 2 * HALF_COUNT;
const SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
const COUNTS_LENGTH = 3072;
const MIN_VALUE_NS = 1;
const MAX_VALUE_NS = 1_000_000_000;
/** LATENCY HISTOGRAM's buckets: from 1024 ns, doubling (hdr_iter_log_init(iter, h, 1024, 2)). */
const FIRST_REPORTING_LEVEL = 1024;

function bucketOf(value: number): number {
  return 31 - Math.clz32(value | SUB_BUCKET_MASK) - HALF_COUNT_MAGNITUDE;
}

/** The counter of a value in ns (MIN_VALUE_NS..MAX_VALUE_NS: below 2^31, so shifts are exact). */
function indexOf(value: number): number {
  const bucket = bucketOf(value);
  const subBucket = value >>> bucket;
  return ((bucket + 1) << HALF_COUNT_MAGNITUDE) + (subBucket - HALF_COUNT);
}

/**
 * The counters of 0..SMALL_MICROS-1 whole microseconds, computed once: nearly
 * every command takes less than that, and recording it is then one array read.
 */
const SMALL_MICROS = 64;
const SMALL_MICROS_INDEX = Int32Array.from({ length: SMALL_MICROS }, (_, micros) => indexOf(Math.max(MIN_VALUE_NS, micros * 1000)));
const MAX_MICROS = MAX_VALUE_NS / 1000;

/** The lowest value of a counter's slot. */
function valueAtIndex(index: number): number {
  let bucket = (index >> HALF_COUNT_MAGNITUDE) - 1;
  let subBucket = (index & (HALF_COUNT - 1)) + HALF_COUNT;
  if (bucket < 0) {
    subBucket -= HALF_COUNT;
    bucket = 0;
  }
  return subBucket * 2 ** bucket;
}

function rangeSize(value: number): number {
  const bucket = bucketOf(value);
  const subBucket = Math.floor(value / 2 ** bucket);
  return 2 ** (subBucket >= SUB_BUCKET_COUNT ? bucket + 1 : bucket);
}

function lowestEquivalent(value: number): number {
  const bucket = bucketOf(value);
  return Math.floor(value / 2 ** bucket) * 2 ** bucket;
}

function highestEquivalent(value: number): number {
  return lowestEquivalent(value) + rangeSize(value) - 1;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(COUNTS_LENGTH);
  totalCount = 0;

  /**
   * Records `calls` calls of `micros` microseconds each (fractions dropped,
   * as Redis's ustime() differences have none).
   */
  recordMicros(micros: number, calls = 1): void {
    const whole = micros < MAX_MICROS ? Math.floor(micros) : MAX_MICROS;
    const index = whole < SMALL_MICROS ? SMALL_MICROS_INDEX[whole > 0 ? whole : 0]! : indexOf(whole * 1000);
    this.counts[index]! += calls;
    this.totalCount += calls;
  }

  /**
   * hdr_value_at_percentile: the highest value equivalent to the one where
   * the cumulative count reaches the percentile (the lowest for p0), in ns.
   */
  valueAtPercentile(percentile: number): number {
    const requested = percentile < 100 ? percentile : 100;
    const countAtPercentile = Math.max(1, Math.trunc((requested / 100) * this.totalCount + 0.5));
    let cumulative = 0;
    let value = 0;
    for (let index = 0; index < COUNTS_LENGTH; index++) {
      cumulative += this.counts[index]!;
      if (cumulative >= countAtPercentile) {
        value = valueAtIndex(index);
        break;
      }
    }
    return percentile === 0 ? lowestEquivalent(value) : highestEquivalent(value);
  }

  /**
   * LATENCY HISTOGRAM's cumulative buckets: [upper bound in µs, calls at or
   * below it], for power-of-two levels from 1024 ns, only where the count
   * grew. A level's bound is the highest value equivalent to the first slot
   * at or past it (1031 ns -> 1 µs, 2063 ns -> 2 µs, 33023 ns -> 33 µs...),
   * as hdr's logarithmic iterator walks the slots.
   */
  cumulativeBuckets(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let level = FIRST_REPORTING_LEVEL;
    let levelLowest = lowestEquivalent(level);
    let index = -1;
    let value = 0;
    let cumulative = 0;
    let previous = 0;
    while (cumulative < this.totalCount || (index < COUNTS_LENGTH && valueAtIndex(index + 1) > levelLowest)) {
      while (value < levelLowest && index + 1 < COUNTS_LENGTH) {
        index++;
        cumulative += this.counts[index]!;
        value = valueAtIndex(index);
      }
      const pastLastSlot = value < levelLowest;
      // Past the last slot, hdr reports what it has (the 1 s clamp lands there).
      if (cumulative > previous) out.push([Math.floor(highestEquivalent(value) / 1000), cumulative]);
      if (pastLastSlot) break;
      previous = cumulative;
      level *= 2;
      levelLowest = lowestEquivalent(level);
    }
    return out;
  }
}
