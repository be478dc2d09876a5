// Tells one boot of the machine from the next. Progress claimed from the page cache is safe
// across a killed process but not across a power cut: a checkpoint records the boot it was made
// in, and a different boot trusts only what was flushed to disk.
import fs from 'node:fs';
import os from 'node:os';

let cached: string | null = null;

export function currentBootId(): string {
  if (cached) return cached;
  try {
    // Linux: a random id the kernel makes at every boot.
    cached = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // Elsewhere: the boot time, rounded so clock adjustments and rounding do not change it.
    cached = `boot-${Math.round((Date.now() - os.uptime() * 1000) / 60_000)}`;
  }
  return cached;
}
