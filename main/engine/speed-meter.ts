// Speed over a sliding window of samples: steady enough to read, quick to follow real changes.

export class SpeedMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 3000) {}

  /** Records the running byte total at time `t` (ms). */
  sample(t: number, bytes: number): void {
    this.samples.push({ t, bytes });
    const cutoff = t - this.windowMs;
    while (this.samples.length > 2 && this.samples[1]!.t <= cutoff) this.samples.shift();
  }

  /** Bytes per second across the window; 0 with fewer than two samples. */
  speed(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t <= first.t) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.t - first.t));
  }

  reset(): void {
    this.samples = [];
  }
}
