// Small live statistics for the overlay: event rates and latency percentiles.

/** Events per second over a sliding window. */
export class RateMeter {
  constructor(windowMs = 2000) {
    this.windowMs = windowMs;
    this.times = [];
  }

  mark(now = performance.now()) {
    this.times.push(now);
    this.#trim(now);
  }

  rate(now = performance.now()) {
    this.#trim(now);
    if (!this.times.length) return 0;
    // Over the part of the window the stream has covered (at least 1 s), so
    // that a new stream reads right at once instead of climbing for seconds.
    const span = Math.min(Math.max(now - this.times[0], 1000), this.windowMs);
    return (this.times.length * 1000) / span;
  }

  reset() {
    this.times = [];
  }

  #trim(now) {
    const cut = now - this.windowMs;
    let i = 0;
    while (i < this.times.length && this.times[i] < cut) i++;
    if (i) this.times.splice(0, i);
  }
}

/** The last `size` samples, with percentiles. */
export class SampleWindow {
  constructor(size = 120) {
    this.size = size;
    this.samples = [];
  }

  add(value) {
    this.samples.push(value);
    if (this.samples.length > this.size) this.samples.shift();
  }

  /** Nearest-rank percentile, p in [0, 100]; null without samples. */
  percentile(p) {
    if (!this.samples.length) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  get count() {
    return this.samples.length;
  }

  reset() {
    this.samples = [];
  }
}
